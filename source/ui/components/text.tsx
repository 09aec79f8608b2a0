import {Text as InkText, type TextProps} from 'ink';
import {Children, createContext, useContext, type ReactNode} from 'react';
import {visibleLines} from '../../core/text/sanitize.js';

/**
 * Whether screens may use colour: the one decision (`--no-color`, NO_COLOR, TERM=dumb, FORCE_COLOR;
 * io/terminal.ts `colorEnabled`) handed to every Ink screen by its render-* module. Without it,
 * `Text` drops foreground and background colours and keeps bold, underline, inverse and dim, so
 * the current step and the selection still show (every selectable row also carries a `›` marker).
 */
const ColorContext = createContext(true);
export const ColorProvider = ColorContext.Provider;

/**
 * Ink's `<Text>` with the terminal sanitizer built in: every string child is shown through
 * `visibleLines`, so an escape sequence, carriage return or bidi override in a plan, env file,
 * config or API answer reaches the frame as `\x1b`, `\x0d`, `\u202e`, never raw. Every screen and
 * component imports `Text` from here, not from ink. View models still sanitize one-line fields
 * with `visible` first (so a newline in a step cannot break a line); this is the net under them.
 */
export function Text({children, color, backgroundColor, ...props}: TextProps & {children?: ReactNode}) {
	const colour = useContext(ColorContext);
	return (
		<InkText {...props} {...(colour && color !== undefined && {color})} {...(colour && backgroundColor !== undefined && {backgroundColor})}>
			{Children.map(children, child => (typeof child === 'string' ? visibleLines(child) : child))}
		</InkText>
	);
}
