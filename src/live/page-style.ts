/** The coordinator page's stylesheet (served inline; no framework). */
export const PAGE_STYLE = `
:root { color-scheme: dark; --bg: #101317; --card: #1a1f26; --line: #2c333d; --text: #e6e9ee; --dim: #8d96a3; --accent: #4c9aff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--text); }
header { display: flex; gap: 16px; align-items: baseline; padding: 12px 20px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
#connection[data-state="open"] { color: #5bd67a; }
#connection[data-state="closed"] { color: #ff6b6b; }
.dim { color: var(--dim); }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; padding: 16px 20px; }
.device { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.device[data-recording="true"] { border-color: #a33; }
.device header { padding: 0; border: 0; justify-content: space-between; }
.device h2 { font-size: 15px; margin: 0; font-family: ui-monospace, monospace; }
.state { font-family: ui-monospace, monospace; padding: 1px 8px; border-radius: 9px; background: #2a313b; }
.device[data-state="recording"] .state { background: #7a1f1f; }
.device[data-state="off"] .state { background: #111; color: var(--dim); }
.front { display: flex; align-items: center; gap: 14px; }
.camera { position: relative; width: 92px; height: 120px; border-radius: 14px; background: linear-gradient(#2b2f35, #17191c); border: 2px solid #3a4049; flex: none; }
.camera .lens { position: absolute; left: 21px; top: 40px; width: 46px; height: 46px; border-radius: 50%; background: radial-gradient(circle at 35% 35%, #4a5a6e, #05070a 60%); border: 3px solid #555d68; }
.camera .led { position: absolute; top: 12px; width: 16px; height: 16px; border-radius: 50%; background: #20242a; border: 1px solid #000; }
.camera .led[data-led="record"] { left: 12px; }
.camera .led[data-led="status"] { right: 12px; }
.camera .label { position: absolute; top: 30px; font-size: 9px; color: var(--dim); }
.camera .label.rec { left: 9px; } .camera .label.sta { right: 7px; }
.led[data-lit="true"][data-color="red"] { background: #ff2d2d; box-shadow: 0 0 10px 4px rgba(255, 45, 45, .75); }
.led[data-lit="true"][data-color="green"] { background: #3cff6e; box-shadow: 0 0 10px 4px rgba(60, 255, 110, .6); }
.led[data-lit="true"][data-color="amber"] { background: #ffb020; box-shadow: 0 0 10px 4px rgba(255, 176, 32, .6); }
.led[data-lit="true"][data-color="blue"] { background: #3d8bff; box-shadow: 0 0 10px 4px rgba(61, 139, 255, .7); }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; flex: 1; }
dt { color: var(--dim); }
dd { margin: 0; font-variant-numeric: tabular-nums; }
.bar { height: 6px; background: #2a313b; border-radius: 3px; overflow: hidden; margin-top: 3px; }
.bar > span { display: block; height: 100%; width: 0; background: var(--accent); }
.view { position: relative; background: #000; border-radius: 6px; aspect-ratio: 16 / 9; overflow: hidden; }
.view img { width: 100%; height: 100%; object-fit: contain; display: block; }
.view[data-view="none"] img, .view[data-view="opening"] img, .view[data-view="refused"] img { visibility: hidden; }
.view[data-view="ended"] img { opacity: .45; }
.view .note { position: absolute; inset: 0; display: grid; place-items: center; color: var(--dim); font-size: 13px; text-align: center; padding: 8px; }
.view[data-view="live"] .note { display: none; }
.view[data-view="live"]::after { content: "LIVE"; position: absolute; top: 6px; left: 6px; background: #c21; color: #fff; font-size: 11px; padding: 1px 6px; border-radius: 3px; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; }
button { background: #2a313b; color: var(--text); border: 1px solid #3a4250; border-radius: 6px; padding: 5px 10px; cursor: pointer; font: inherit; }
button:hover { border-color: var(--accent); }
button.primary { background: #1d4f91; border-color: #2a66b5; }
.sim { color: var(--dim); font-size: 12px; }
ol.recordings { margin: 0; padding-left: 28px; max-height: 96px; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
#bus { margin: 12px 20px 0; padding: 8px 12px; background: var(--card); border: 1px solid #7a5a1f; border-radius: 10px; }
#bus h2 { font-size: 14px; margin: 0 0 4px; }
#bus-log { margin: 0; padding-left: 22px; font-family: ui-monospace, monospace; font-size: 12px; max-height: 150px; overflow: auto; }
#bus-log li { display: flex; flex-wrap: wrap; gap: 8px; }
.bus-receiver { color: var(--dim); }
.bus-receiver[data-arrived="true"] { color: #ffb020; }
.bus-badge { font-size: 12px; color: #ffb020; }
.last-event { font-family: ui-monospace, monospace; font-size: 12px; color: var(--dim); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
`;
