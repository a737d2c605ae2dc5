import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, redactSecrets } from '../../src/logger.js';

function capture(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('redactSecrets', () => {
  it('censors secret keys at the top level, one level down and in request headers', () => {
    const logged = {
      token: 'tok-123',
      config: { botToken: 'bot-456', commandTokens: ['a', 'b'], port: 3000 },
      req: { headers: { authorization: 'Token xyz', host: 'bot' } },
      MM_BOT_TOKEN: 'env-secret',
      userId: 'u1',
    };
    expect(redactSecrets(logged)).toEqual({
      token: REDACTED,
      config: { botToken: REDACTED, commandTokens: REDACTED, port: 3000 },
      req: { headers: { authorization: REDACTED, host: 'bot' } },
      MM_BOT_TOKEN: REDACTED,
      userId: 'u1',
    });
  });

  it('never modifies the logged object, and returns it as it is when it holds no secret', () => {
    const config = { actionSecret: 's3cret', port: 1 };
    const logged = { config };
    const redacted = redactSecrets(logged);
    expect(redacted.config).toEqual({ actionSecret: REDACTED, port: 1 });
    expect(config.actionSecret).toBe('s3cret');
    const plain = { requestId: 'r', nested: { a: 1 } };
    expect(redactSecrets(plain)).toBe(plain);
  });

  it('leaves errors and arrays to the serializers', () => {
    const error = Object.assign(new Error('boom'), { code: 'E' });
    const logged = { err: error, list: [{ token: 'in-array' }] };
    expect(redactSecrets(logged)).toBe(logged);
  });
});

describe('createLogger', () => {
  it('writes no secret to the log line, from the root logger or a child', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info({ token: 'tok-abc', request: { authorization: 'Token def' }, userId: 'u1' }, 'hello');
    log.child({ component: 'test' }).info({ config: { secret: 'child-secret' } }, 'from child');
    const text = JSON.stringify(lines);
    expect(lines).toHaveLength(2);
    expect(text).not.toMatch(/tok-abc|Token def|child-secret/);
    expect(lines[0]).toMatchObject({ token: REDACTED, request: { authorization: REDACTED }, userId: 'u1', msg: 'hello' });
    expect(lines[1]).toMatchObject({ component: 'test', config: { secret: REDACTED }, msg: 'from child' });
  });

  it('still serializes errors with their message and stack', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).error({ err: new Error('disk full') }, 'failed');
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'disk full' } });
    expect(String((lines[0]?.err as { stack?: string }).stack)).toContain('disk full');
  });
});
