import {Text as InkText, type TextProps} from 'ink';
import {Children, type ReactNode} from 'react';
import {visibleLines} from '../../core/text/sanitize.js';

/**
 * Ink's `<Text>` with the terminal sanitizer built in: every string child is shown through
 * `visibleLines`, so an escape sequence, carriage return or bidi override in a plan, env file,
 * config or API answer reaches the frame as `\x1b`, `\x0d`, `\u202e`, never raw. Every screen and
 * component imports `Text` from here, not from ink. View models still sanitize one-line fields
 * with `visible` first (so a newline in a step cannot break a line); this is the net under them.
 */
export function Text({children, ...props}: TextProps & {children?: ReactNode}) {
	return <InkText {...props}>{Children.map(children, child => (typeof child === 'string' ? visibleLines(child) : child))}</InkText>;
}
