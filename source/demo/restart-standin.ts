/**
 * The demo's "restart the service" command (services[].restart of the demo config): asks the
 * stand-in CAVRA API to restart, which for it means re-reading its env file, exactly what a
 * restarted CAVRA process would do. Exit 0 when it did, 1 when it did not answer.
 *
 *   node dist/demo/restart-standin.js --url http://127.0.0.1:PORT
 */
const args = process.argv.slice(2);
const index = args.indexOf('--url');
const url = index >= 0 ? args[index + 1] : undefined;
if (!url) {
	process.stderr.write('restart-standin: --url URL of the stand-in API is required\n');
	process.exitCode = 2;
} else {
	try {
		const response = await fetch(`${url.replace(/\/+$/, '')}/__standin/restart`, {method: 'POST', signal: AbortSignal.timeout(5000)});
		const body = await response.text();
		if (!response.ok) {
			process.stderr.write(`restart-standin: HTTP ${response.status}: ${body.slice(0, 200)}\n`);
			process.exitCode = 1;
		} else process.stdout.write(`restarted the stand-in CAVRA API: ${body}\n`);
	} catch (error) {
		process.stderr.write(`restart-standin: ${url} did not answer (${error instanceof Error ? error.message : String(error)})\n`);
		process.exitCode = 1;
	}
}
