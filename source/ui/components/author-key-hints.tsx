import {Text} from './text.js';

/** The keys that work right now, dimmed, one line. */
export function AuthorKeyHints({hints}: {hints: readonly string[]}) {
	return <Text dimColor wrap="wrap">{hints.join(' · ')}</Text>;
}
