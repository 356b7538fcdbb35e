// Drives `faultline proxy` with toxiproxy-node-client 4.1.0 (an independent implementation of
// the Toxiproxy API client) and checks what its own test suite checks.
// Usage: node node_client_check.mjs <faultline binary> <node prefix with node_modules>
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';

const [bin, prefix] = process.argv.slice(2);
const require = createRequire(path.join(prefix, 'package.json'));
const { Toxiproxy } = require('toxiproxy-node-client');

const server = spawn(bin, ['proxy', '-host', '127.0.0.1', '-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (d) => {
    text += d;
    const m = text.match(/listening on (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  setTimeout(() => reject(new Error('no listening line')), 10000);
});

const expectStatus = async (promise, status) => {
  await assert.rejects(promise, (e) => e.message === `Request failed with status code ${status}`);
};

try {
  const toxiproxy = new Toxiproxy(url);
  const version = await toxiproxy.getVersion();
  assert.match(String(version), /2\.12\.0/);

  const body = { name: 'redis', listen: 'localhost:0', upstream: 'localhost:6379' };
  const proxy = await toxiproxy.createProxy(body);
  assert.equal(proxy.name, 'redis');
  assert.equal(proxy.upstream, 'localhost:6379');
  assert.equal(proxy.enabled, true);
  await expectStatus(toxiproxy.createProxy(body), 409);

  const fetched = await toxiproxy.get('redis');
  assert.equal(fetched.listen, proxy.listen);

  const toxic = await proxy.addToxic({ type: 'latency', attributes: { latency: 100, jitter: 5 } });
  assert.equal(toxic.name, 'latency_downstream');
  assert.equal(toxic.toxicity, 1);
  assert.deepEqual(toxic.attributes, { latency: 100, jitter: 5 });
  await expectStatus(proxy.addToxic({ type: 'latency', attributes: { latency: 1 } }), 409);
  const got = await proxy.getToxic('latency_downstream');
  assert.equal(got.attributes.latency, 100);
  const updated = await got.update({ attributes: { latency: 200 } });
  assert.equal(updated.attributes.latency, 200);
  assert.equal(updated.attributes.jitter, 5);  // partial update
  await got.remove();
  await expectStatus(proxy.getToxic('latency_downstream'), 404);

  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  assert.equal(disabled.enabled, false);
  const moved = await proxy.update({ enabled: true, listen: proxy.listen, upstream: 'somehost:12345' });
  assert.equal(moved.upstream, 'somehost:12345');
  await proxy.remove();
  await expectStatus(toxiproxy.get('redis'), 404);

  const populated = await toxiproxy.populate([
    { name: 'one', listen: '127.0.0.1:0', upstream: 'localhost:6379' },
    { name: 'two', listen: '127.0.0.1:0', upstream: 'localhost:6380' },
  ]);
  assert.deepEqual(Object.keys(populated).sort(), ['one', 'two']);
  const all = await toxiproxy.getAll();
  assert.equal(Object.keys(all).length, 2);
  await toxiproxy.reset();
  assert.deepEqual(await toxiproxy.populate([]), {});
  console.log('toxiproxy-node-client 4.1.0: all checks passed against', url);
} finally {
  server.kill('SIGTERM');
}
