// Starts telegram-test-api on 127.0.0.1 at the port given as the first argument
// (0 is not supported by the package: the harness picks a free port), prints "ready",
// and stops on SIGTERM or SIGINT, or when its parent goes away (stdin closes).
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
const server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM', storeTimeout: 600 });

async function stop() {
  await server.stop();
  process.exit(0);
}

server.start().then(() => {
  process.stdout.write('ready\n');
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
