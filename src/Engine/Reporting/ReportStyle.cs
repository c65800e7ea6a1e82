namespace MdaiClara.Engine.Reporting;

/// <summary>The report's inline style sheet: system fonts only, print-friendly, no external resource.</summary>
internal static class ReportStyle
{
    /// <summary>
    /// The page's content security policy: nothing may load but embedded images and the inline style, and no script
    /// runs, so a browser itself refuses any external reference (and logs it) should one ever slip in.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'none'";

    public const string Css = """
        :root { --ink: #1d2433; --muted: #5b6478; --line: #d9dee8; --band: #f4f6fa; --accent: #1f4e99; --bad: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 24px 32px 48px; color: var(--ink); background: #fff;
               font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
        header { border-bottom: 3px solid var(--accent); margin-bottom: 20px; padding-bottom: 10px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 10px; color: var(--accent); border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 22px 0 8px; }
        .sub { color: var(--muted); margin: 0; }
        table { border-collapse: collapse; margin: 6px 0 12px; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: var(--band); font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.kv th { width: 220px; }
        code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
        .ci { color: var(--muted); font-size: 12px; }
        .n { color: var(--muted); font-size: 11px; }
        .note { color: var(--muted); font-size: 12px; margin: 4px 0; }
        .error { color: var(--bad); }
        .figures { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; }
        figure { margin: 0; }
        .figures figure { display: table; }
        .figures figcaption { display: table-caption; caption-side: bottom; }
        figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
        .case { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 14px 0; page-break-inside: avoid; }
        .views { display: flex; flex-wrap: wrap; gap: 14px 22px; align-items: flex-start; }
        h4 { font-size: 13px; margin: 14px 0 6px; }
        .rank { color: var(--muted); font-weight: normal; font-size: 13px; }
        .view { display: grid; grid-template-columns: 16px auto 16px; grid-template-rows: 16px auto 16px; align-items: center; justify-items: center; }
        .view img { grid-column: 2; grid-row: 2; background: #000; image-rendering: auto; }
        .view .o { font-size: 11px; font-weight: 600; color: var(--muted); }
        .view .t { grid-column: 2; grid-row: 1; } .view .b { grid-column: 2; grid-row: 3; }
        .view .l { grid-column: 1; grid-row: 2; } .view .r { grid-column: 3; grid-row: 2; }
        .view figcaption { grid-column: 1 / 4; grid-row: 4; width: 0; min-width: 100%; }
        .legend { display: flex; gap: 18px; align-items: center; font-size: 12px; margin: 6px 0; }
        .swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 6px; }
        footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print { body { padding: 0; } .case { break-inside: avoid; } }
        """;
}
