import InkTextInput from 'ink-text-input';
import type {ComponentProps} from 'react';
import {visible} from '../../core/text/sanitize.js';

/**
 * ink-text-input, showing its value through the terminal sanitizer: a field opened on a plan
 * that already holds an escape sequence or a bidi override shows `\x1b` or `\u202e` (which the
 * author can then delete) instead of sending it to the terminal. What is typed is cleaned by the
 * wizard's reducer (`stripHidden`), so a value without hidden characters is shown and edited as is.
 */
export function TextInput({value, ...props}: ComponentProps<typeof InkTextInput>) {
	return <InkTextInput {...props} value={visible(value)} />;
}
