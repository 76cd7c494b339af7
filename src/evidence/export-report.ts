/**
 * The human-readable report of an export package (REPORT.md), for the prosecutor (Openbaar
 * Ministerie): what was recorded, when, by which device and officer, the hashes and keys, and
 * the chain of custody from the audit log. Pure: the same inputs give the same text.
 */
import type { RecordingManifest } from '../recorder/index.js';
import { formatUs } from '../time/index.js';
import type { AuditEntry } from './audit-chain.js';

/** Everything the report shows. */
export interface ExportReportInput {
  readonly manifest: RecordingManifest;
  readonly exportedAt: string;
  readonly actor: string;
  readonly caseRef: string | null;
  /** The files of the package with their sizes and hashes. */
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string; readonly role: string }[];
  readonly deviceKey: { readonly fingerprint: string; readonly simulation: boolean };
  readonly backOfficeKey: { readonly fingerprint: string; readonly simulation: boolean };
  readonly audit: readonly AuditEntry[];
  readonly recordingFile: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (us: number | null): string => (us === null ? '-' : formatUs(us));

function detailsText(entry: AuditEntry): string {
  const keys = ['case', 'reason', 'sha256', 'plaintextSha256', 'deviceCopy', 'output', 'to', 'from'];
  return keys.filter((key) => entry.details[key] !== undefined && entry.details[key] !== null)
    .map((key) => `${key}: ${String(entry.details[key])}`).join('; ');
}

/** The report's Markdown text. */
export function exportReport(input: ExportReportInput): string {
  const m = input.manifest;
  const simulationWarning = (simulation: boolean): string => (simulation ? ' — SIMULATION KEY, NOT SECRET: proves integrity, not origin' : '');
  const audio = m.audio === null ? 'none' : `${m.audio.codec}, ${m.audio.sampleRate} Hz, ${m.audio.samples} samples`;
  const lines = [
    `# Evidence export: ${m.id}`,
    '',
    `Exported ${input.exportedAt} by ${input.actor}${input.caseRef === null ? '' : ` for case ${input.caseRef}`}.`,
    `The recording to play is \`${input.recordingFile}\`.`,
    '',
    '## Recording',
    '',
    '| | |',
    '|---|---|',
    `| Device | ${cell(m.deviceId)} |`,
    `| Officer | ${cell(m.officerId)} |`,
    `| Start (device wall clock) | ${m.wallClock.start} |`,
    `| Trigger | ${m.wallClock.trigger} (${m.trigger.source}) |`,
    `| End | ${m.wallClock.end} (${m.stop.reason}) |`,
    `| Pre-recording | ${seconds(m.preRoll.actualUs)} of ${seconds(m.preRoll.requestedUs)} requested${m.preRoll.limitedBy === null ? '' : ` (limited by ${m.preRoll.limitedBy})`} |`,
    `| Video | ${m.video.codec}, ${m.video.width}x${m.video.height}, ${m.video.frames} frames |`,
    `| Audio | ${audio} |`,
    `| Markers | ${m.markers.length === 0 ? 'none' : m.markers.map((us) => seconds(us)).join(', ')} |`,
    `| Complete | ${m.complete ? 'yes' : 'NO: the recording was cut off (e.g. power loss); it holds everything written up to then'} |`,
    `| Encrypted on the device | ${m.encryption === undefined ? 'no' : `yes (${m.encryption.scheme})`} |`,
    '',
    '## Files and hashes (SHA-256)',
    '',
    '| File | Bytes | SHA-256 | What |',
    '|---|---:|---|---|',
    ...input.files.map((f) => `| \`${f.path}\` | ${f.bytes} | \`${f.sha256}\` | ${cell(f.role)} |`),
    '',
    '## Signatures',
    '',
    `- The device signed the manifest \`${m.id}.json\` with Ed25519 key \`${input.deviceKey.fingerprint}\`${simulationWarning(input.deviceKey.simulation)}.`,
    '  The signature covers every field of the manifest, including the SHA-256 of the recording file as the device wrote it.',
    `- The back office signed \`export.json\` (the list of files above and the audit excerpt's last hash) with Ed25519 key \`${input.backOfficeKey.fingerprint}\`${simulationWarning(input.backOfficeKey.simulation)}.`,
    '- Compare both fingerprints with the ones the police publish for this device and back office. The key files in this',
    '  package are copies for convenience, not trust anchors: a forger can put any key there.',
    '- This report is not evidence by itself: it renders the signed files, and `bodycam verify` rebuilds it from them',
    '  and fails when it says anything else.',
    '',
    '## Chain of custody (audit log excerpt)',
    '',
    '| # | When | Action | By | Details |',
    '|---:|---|---|---|---|',
    ...input.audit.map((e) => `| ${e.seq} | ${e.at} | ${e.action} | ${cell(e.actor)} | ${cell(detailsText(e))} |`),
    '',
    'Each entry of `audit-excerpt.jsonl` holds the hash of the previous entry of this recording (`recordingPrev`)',
    'and its own hash, so a changed, removed or reordered entry breaks the chain.',
    '',
    '## How to check this package',
    '',
    '```',
    'bodycam verify . --trusted-keys ANCHORS   # ANCHORS: <deviceId>.pub.pem and back-office.pub.pem, obtained from the police, not from this package',
    'sha256sum -c <(jq -r \'.files[] | "\\(.sha256)  \\(.path)"\' export.json)',
    '```',
    '',
  ];
  return lines.join('\n');
}
