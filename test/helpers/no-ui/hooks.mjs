// Resolve hook: report (on stderr) any resolution of ink, react or an ink-* package.
export async function resolve(specifier, context, next) {
	if (/^(ink|react|react-dom|ink-[a-z-]+|@inkjs\/[a-z-]+)(\/|$)/.test(specifier)) process.stderr.write(`LOADED-UI-MODULE ${specifier}\n`);
	return next(specifier, context);
}
