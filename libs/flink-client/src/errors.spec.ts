// readFlinkError against Flink's real answers: the fixtures under fixtures/flink-2.3 were
// captured from the Flink 2.3.0 of the local stack (POST /jars/:id/run; only the stack's
// directory was replaced by /opt/flink). The 1.20 bodies are built from the texts of Flink's
// source (PackagedProgram, DuplicateJobSubmissionException), in the shape 1.20's REST handlers
// answer with: "Internal server error." then the server-side exception.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFlinkError, tlsFailureOf } from './errors';

function captured(name: string): { status: number; body: unknown } {
  const body = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'flink-2.3', `${name}.json`), 'utf8')) as unknown;
  const status: Record<string, number> = { 'run-badclass': 500, 'run-badargs': 400, 'run-badconfig': 400, 'run-dup': 400, 'run-badjar': 500, 'run-nojar': 500, 'run-noclassnomain': 500 };
  return { status: status[name] ?? 0, body };
}

function flink120(exception: string): unknown {
  return {
    errors: [
      'Internal server error.',
      `<Exception on server side:\njava.util.concurrent.CompletionException: ${exception}\n\tat org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:209)\n\t... 7 more\n\nEnd of exception on server side>`,
    ],
  };
}

describe('readFlinkError on Flink 2.3 answers', () => {
  it('a mistyped entry class is a program error that names the class (from the second errors entry)', () => {
    const { status, body } = captured('run-badclass');
    expect((body as { errors: string[] }).errors[0]).toBe('Internal server error.');
    const r = readFlinkError(status, body);
    expect(r.kind).toBe('program');
    expect(r.message).toBe("The program's entry point class 'com.example.DoesNotExist' was not found in the jar file.");
  });

  it('a main method that threw (bad program arguments) is a program error with the exception text', () => {
    const r = readFlinkError(...Object.values(captured('run-badargs')) as [number, unknown]);
    expect(r.kind).toBe('program');
    expect(r.message).toBe("The main method caused an error: unknown mode 'bogus' (stream, batch or fail)");
  });

  it('an invalid configuration is a program error carrying the deepest cause', () => {
    const r = readFlinkError(...Object.values(captured('run-badconfig')) as [number, unknown]);
    expect(r.kind).toBe('program');
    expect(r.message).toContain('nonsense is an unknown value of RestartStrategyType.');
  });

  it('a file that is not a jar is a program error', () => {
    const r = readFlinkError(...Object.values(captured('run-badjar')) as [number, unknown]);
    expect(r.kind).toBe('program');
    expect(r.message).toMatch(/^Error while opening jar file '\/opt\/flink\/web-upload\/.*bad\.jar'/);
    expect(r.message).toContain('zip END header not found');
  });

  it('a class without main is a program error', () => {
    const r = readFlinkError(...Object.values(captured('run-noclassnomain')) as [number, unknown]);
    expect(r).toMatchObject({ kind: 'program', message: 'The given program class does not have a main(String[]) method.' });
  });

  it('a taken job id is a duplicate, not a program error (2.x wording, inside "The main method caused an error")', () => {
    const r = readFlinkError(...Object.values(captured('run-dup')) as [number, unknown]);
    expect(r).toMatchObject({ kind: 'duplicate-job', message: 'Application has already been submitted.' });
  });

  it('a jar Flink no longer has is jar-not-found', () => {
    const r = readFlinkError(...Object.values(captured('run-nojar')) as [number, unknown]);
    expect(r.kind).toBe('jar-not-found');
    expect(r.message).toMatch(/^Jar file \/opt\/flink\/.* does not exist$/);
  });
});

describe('readFlinkError on Flink 1.20 wording', () => {
  it('reads the entry class, main and duplicate texts of 1.20', () => {
    expect(readFlinkError(500, flink120("org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.Nope' was not found in the jar file."))).toMatchObject({
      kind: 'program',
      message: "The program's entry point class 'com.example.Nope' was not found in the jar file.",
    });
    expect(readFlinkError(400, { errors: ['org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat x.y(Z.java:1)\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: --rate must be a number\n\t... 4 more'] })).toMatchObject({
      kind: 'program',
      message: 'The main method caused an error: --rate must be a number',
    });
    expect(readFlinkError(500, flink120('org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.')).kind).toBe('duplicate-job');
  });
});

describe('readFlinkError on answers that are not about the program', () => {
  it('502, 503, 504 and 429 are transient whatever they say', () => {
    for (const status of [502, 503, 504, 429]) expect(readFlinkError(status, '<html>Bad gateway</html>').kind).toBe('transient');
  });

  it('a timeout inside Flink is transient even when it surfaces through the main method', () => {
    const body = { errors: ['Could not execute application.\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(...)] timed out.'] };
    expect(readFlinkError(400, body).kind).toBe('transient');
  });

  it('an answer nobody recognises is unclassified, with its informative line', () => {
    const r = readFlinkError(500, { errors: ['Internal server error.', '<Exception on server side:\njava.lang.NullPointerException: something odd\n\tat a.b(C.java:1)\n\nEnd of exception on server side>'] });
    expect(r).toMatchObject({ kind: 'unclassified', message: 'something odd' });
  });
});

describe('tlsFailureOf', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it('reads an untrusted server certificate and a refused client certificate, also as a cause', () => {
    expect(tlsFailureOf(withCode('SELF_SIGNED_CERT_IN_CHAIN'))).toMatchObject({ tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN', reason: expect.stringContaining('not trusted') });
    expect(tlsFailureOf(withCode('ERR_TLS_CERT_ALTNAME_INVALID'))?.tlsCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(tlsFailureOf(Object.assign(new Error('fetch failed'), { cause: withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE') }))?.tlsCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(tlsFailureOf(withCode('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'))).toMatchObject({ reason: expect.stringContaining('refused the client certificate') });
    // What Node 24 (OpenSSL 3) reports when Flink's REST server wants a client certificate and gets none.
    expect(tlsFailureOf(withCode('ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE'))?.tlsCode).toBe('ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE');
  });

  it('leaves connection failures that a retry may cure alone', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT']) expect(tlsFailureOf(withCode(code))).toBeNull();
    expect(tlsFailureOf(new Error('no code'))).toBeNull();
    expect(tlsFailureOf('text')).toBeNull();
  });
});
