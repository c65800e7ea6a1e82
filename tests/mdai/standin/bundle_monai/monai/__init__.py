"""Stand-in for MONAI (tests only): just enough of monai.bundle for the MD.ai bundle interface code's runner
(mdai_bundle_run.py). tests/mdai/run_mdai_deploy.py puts the folder above this one first on PYTHONPATH of the child
process; see bundle/__init__.py."""
__version__ = "1.3.2"
