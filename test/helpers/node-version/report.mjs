// `NODE_OPTIONS=--import=<this file>`: the CLI's process says which Node runs it, on stderr.
process.stderr.write(`CLI-NODE-VERSION ${process.version}\n`);
