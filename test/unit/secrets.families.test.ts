import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILIES, SHAPES, tokens } from '../../bench/secretsCorpus';
import { applySecretPolicy } from '../../src/core/memory/secretPolicy';
import { redactAllSecrets, scanSecrets } from '../../src/core/memory/secrets';

/** More places a pasted token lands, beyond the bench's shapes. */
const MORE_SHAPES: { name: string; wrap: (t: string) => string }[] = [
  ...SHAPES,
  { name: 'Go var', wrap: (t) => `var apiToken string = "${t}"` },
  { name: 'Makefile ?=', wrap: (t) => `DEPLOY_TOKEN ?= ${t}` },
  { name: 'PHP .=', wrap: (t) => `$auth .= '${t}';` },
  { name: 'XML add', wrap: (t) => `<add key="ServiceToken" value="${t}" />` },
  { name: 'X-Api-Key header', wrap: (t) => `X-Api-Key: ${t}` },
  { name: 'JSON string holding K=v', wrap: (t) => `{"env": "TOKEN=${t}"}` },
];

async function coveredBy(text: string, token: string): Promise<boolean> {
  const at = text.indexOf(token);
  return (await scanSecrets(text)).some((f) => f.start <= at && f.end >= at + token.length);
}

describe("secret families (shapes from each vendor's published format)", () => {
  for (const [i, family] of FAMILIES.entries()) {
    it(`${family.name}: bare, in prose and in every assignment shape; placeholders kept`, async () => {
      for (const token of tokens(family, 5, 900 + i)) {
        for (const shape of MORE_SHAPES) {
          const text = shape.wrap(token);
          assert.ok(await coveredBy(text, token), `${family.name} ${shape.name}: ${text}`);
          const found = await scanSecrets(text);
          assert.ok(
            found.some((f) => f.kind === family.kind),
            `${family.name} ${shape.name}: kind ${found.map((f) => f.kind)}`,
          );
        }
      }
      for (const p of family.placeholders) {
        for (const shape of MORE_SHAPES.slice(0, 3)) {
          const text = shape.wrap(p);
          assert.deepEqual(
            (await scanSecrets(text)).map((f) => f.kind),
            [],
            `${family.name} placeholder: ${text}`,
          );
        }
      }
    });
  }
});

describe('secret shapes and placeholders', () => {
  const PRIV = 'PRIVATE' + ' KEY';
  it('redacts a private-key block whatever its length, but not a placeholder body', async () => {
    const short = `-----BEGIN RSA ${PRIV}-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END RSA ${PRIV}-----`;
    const r = await redactAllSecrets(`key:\n${short}\ndone`);
    assert.equal(r.text, 'key:\n[REDACTED:private-key]\ndone');
    for (const body of ['...', '<your key here>', '']) {
      const doc = `-----BEGIN ${PRIV}-----\n${body}\n-----END ${PRIV}-----`;
      assert.deepEqual(await scanSecrets(doc), [], body);
    }
  });

  it('finds passwords in Go, Makefile, PHP, .NET XML, curl and Authorization: Token shapes', async () => {
    const pw = ['Zq7', 'wLm2#rT9vK'].join('-'); // built, so this file itself has no password literal
    const tok = 'f3a9c2e18b7d4c60a5e1';
    const cases: [string, string][] = [
      [`var dbPassword string = "${pw}"`, pw],
      [`DB_PASSWORD ?= ${pw}`, pw],
      [`DB_PASSWORD ::= ${pw}`, pw],
      [`$password .= "${pw}";`, pw],
      [`<add key="DbPassword" value="${pw}" />`, pw],
      [`curl -u deploy:${pw} https://ci.example.org/api`, pw],
      [`curl --user 'deploy:${pw}' https://ci.example.org/api`, pw],
      [`Authorization: Token ${tok}`, tok],
      [`X-Api-Key: ${tok}`, tok],
    ];
    for (const [text, secret] of cases) assert.ok(await coveredBy(text, secret), text);
  });

  it('keeps placeholders and non-secret names the detector used to flag', async () => {
    const texts = [
      `key = "AIza${'a'.repeat(35)}"`,
      `key = "AIza${'abcdefghijklmnopqrstuvwxyzABCDEFGHI'}"`,
      `token: "ghp_${'#'.repeat(36)}"`,
      'password = "abcdefghijklmnopqrstuvwxyz"',
      'publicToken: "pk_9fJ2kQ7xW3mZ8rT1vB6nY4cL"',
      'csrf-token: "Xr7kP2mQ9wT4vZ8nB3cL6yJ1"',
      'primaryKey = "k8Jd93LmQp2Xz7RtVb4Nw6Ye"',
      '-----BEGIN OPENSSH ' + PRIV + '-----',
      'curl -u user:password https://example.org',
      'curl -u "$USER:$TOKEN" https://example.org',
      'Authorization: Token <your-token>',
    ];
    for (const t of texts)
      assert.deepEqual(
        (await scanSecrets(t)).map((f) => `${f.kind} ${f.preview}`),
        [],
        t,
      );
  });

  it('applies the same policy for every non-interactive writer: redact, or keep when asked', async () => {
    const token = tokens(
      FAMILIES.find((f) => f.kind === 'huggingface-token')!,
      1,
      5,
    )[0];
    const redacted = await applySecretPolicy(`HF_TOKEN=${token}\n`);
    assert.equal(redacted.content, 'HF_TOKEN=[REDACTED:huggingface-token]\n');
    assert.equal(redacted.redacted, 1);
    assert.match(redacted.message ?? '', /^Redacted 1 likely secret \(Hugging Face token on line 1\)\.$/);
    const kept = await applySecretPolicy(`HF_TOKEN=${token}\n`, true);
    assert.equal(kept.content, `HF_TOKEN=${token}\n`);
    assert.equal(kept.found, 1);
    assert.deepEqual(await applySecretPolicy('nothing to see'), { content: 'nothing to see', redacted: 0, found: 0 });
  });

  it('never fails on odd input', async () => {
    for (const t of [
      '',
      '\u0000\uffff',
      '\ud800',
      'a'.repeat(100_000),
      '-----BEGIN ' + PRIV + '-----\n'.repeat(1000),
    ]) {
      assert.ok(Array.isArray(await scanSecrets(t)));
    }
  });
});
