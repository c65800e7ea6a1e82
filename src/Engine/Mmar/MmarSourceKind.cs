namespace MdaiClara.Engine.Mmar;

public enum MmarSourceKind
{
    Folder,
    Zip,
}
