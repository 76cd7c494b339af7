/**
 * Colour for the terminal (picocolors), decided per stream: on only for a TTY, off when NO_COLOR
 * is set to anything but '' (no-color.org) or TERM is dumb; FORCE_COLOR turns it on for a pipe.
 * Only the verdict words are coloured, so the text reads the same without colour.
 */
import picocolors from 'picocolors';

/** The verdicts that get a colour. */
export type Verdict = 'PASS' | 'FAIL' | 'ERROR';

/** Paints a verdict word (the identity when colour is off). */
export type VerdictPaint = (verdict: Verdict) => string;

/** Whether to colour what goes to `stream`, from its TTY-ness and the environment. */
export function colorEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** PASS green, FAIL red, ERROR red and bold, or plain when colour is off for `stream`. */
export function verdictPaint(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): VerdictPaint {
  const colors = picocolors.createColors(colorEnabled(stream, env));
  return (verdict) => {
    if (verdict === 'PASS') return colors.green(verdict);
    if (verdict === 'FAIL') return colors.red(verdict);
    return colors.bold(colors.red(verdict));
  };
}
