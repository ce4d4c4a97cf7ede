"""The review report's stylesheet, inlined into index.html (the folder must work when copied or mailed)."""

STYLE = """
:root { --ink: #1d1d1f; --muted: #66666b; --line: #d9d9de; --changed: #e8590c; --error: #c92a2a;
        --warning: #b35c00; --note: #1971c2; --paper: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       background: #f1f1f4; }
header, section { max-width: 1240px; margin: 0 auto; padding: 18px 24px; }
header { border-bottom: 1px solid var(--line); background: var(--paper); max-width: none; }
header h1 { margin: 0 0 4px; font-size: 22px; }
.identity, .simulated { color: var(--muted); margin: 2px 0; }
.summary { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 10px; }
.summary a, .kinds a { text-decoration: none; color: inherit; background: #ececf0; border-radius: 6px;
                       padding: 4px 10px; }
.kinds { display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 14px; }
.kinds a b { margin-left: 6px; }
h2 { font-size: 18px; margin: 8px 0 10px; }
h3.kind { font-size: 15px; margin: 20px 0 6px; }
h3.kind small { color: var(--muted); font-weight: normal; }
table { border-collapse: collapse; width: 100%; background: var(--paper); }
td, th { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.where { width: 26%; white-space: nowrap; }
td.sev { width: 84px; }
.hint { color: var(--muted); font-size: 13px; margin-top: 2px; }
.hint::before { content: "→ "; }
code { font-size: 12.5px; color: var(--muted); }
.sev { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.note { color: var(--note); }
.changes a { margin-right: 12px; color: var(--changed); font-weight: 600; }
.sheet { display: flex; flex-wrap: wrap; gap: 30px 26px; }
.spread { display: flex; background: var(--paper); box-shadow: 0 1px 4px rgba(0,0,0,.18); }
.slot { display: block; position: relative; text-decoration: none; color: var(--muted); }
.slot.empty { background: #e3e3e8; }
.slot img { display: block; }
.slot .label { position: absolute; bottom: -21px; left: 0; right: 0; text-align: center; font-size: 12.5px;
               white-space: nowrap; }
.slot.changed { outline: 3px solid var(--changed); outline-offset: -3px; }
.slot.flagged .label::after { content: " \\25CF"; color: var(--warning); }
.slot.flagged.has-error .label::after { color: var(--error); }
.change { position: absolute; border: 2px solid var(--changed); background: rgba(232, 89, 12, .12);
          pointer-events: none; }
.toolbar { position: sticky; top: 0; z-index: 5; display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
           background: rgba(241, 241, 244, .96); padding: 10px 0; border-bottom: 1px solid var(--line); }
.toolbar label { cursor: pointer; background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
                 padding: 4px 10px; user-select: none; }
.toggle { position: absolute; opacity: 0; pointer-events: none; }
.legend { display: none; gap: 6px; align-items: center; font-size: 12.5px; color: var(--muted); }
.legend i { display: inline-block; width: 14px; height: 14px; border-radius: 2px; vertical-align: -2px; }
.page { background: var(--paper); margin: 22px 0; padding: 14px 18px; border: 1px solid var(--line);
        scroll-margin-top: 64px; }  /* a page reached by its link is not hidden under the toolbar */
.page:target { border-color: var(--note); box-shadow: 0 0 0 3px rgba(25, 113, 194, .25); }
.page.changed h3::after { content: "changed since the previous proof"; margin-left: 10px; font-size: 12px;
                          color: #fff; background: var(--changed); padding: 2px 8px; border-radius: 10px; }
.page h3 { margin: 0 0 8px; font-size: 16px; }
.page h3 small { color: var(--muted); font-weight: normal; }
.page ul { margin: 4px 0 10px; padding-left: 18px; }
.page .view { position: relative; display: inline-block; max-width: 100%; }
.page .view img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.page .view .layer { position: absolute; left: 1px; top: 1px; right: 1px; bottom: 1px; display: none;
                     background-size: 100% 100%; }
.page nav a { margin-right: 14px; font-size: 13px; }
.empty-note { color: var(--muted); }
#show-screen:checked ~ #views .layer.screen, #show-ink:checked ~ #views .layer.ink,
#show-gamut:checked ~ #views .layer.gamut { display: block; }
#show-ink:checked ~ #views .legend.ink, #show-gamut:checked ~ #views .legend.gamut { display: inline-flex; }
#show-proof:checked ~ #views label[for=show-proof], #show-screen:checked ~ #views label[for=show-screen],
#show-ink:checked ~ #views label[for=show-ink], #show-gamut:checked ~ #views label[for=show-gamut] {
    background: var(--ink); color: #fff; border-color: var(--ink); }
.toggle:focus-visible ~ #views .toolbar { outline: 2px solid var(--note); }
"""
