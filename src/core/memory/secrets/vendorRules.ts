/**
 * Vendor tokens DevStream recognises by shape, anywhere in text (bare, in prose, in any
 * assignment). secretlint's recommended preset covers more vendors (see secretlint.ts); these are
 * the families it lacks or matches only in part. Shapes follow each vendor's published format.
 *
 * Every expression is linear: it starts on a literal prefix or is guarded by a one-character
 * lookbehind (so it can only start at the beginning of a run), and its quantifiers are bounded.
 */
import type { PatternRule } from './patterns';
import type { SecretKind } from './kinds';
import { realBody } from './placeholders';

/** A prefixed token: valid when what follows the prefix is not a mask or a documentation example. */
function prefixed(kind: SecretKind, re: RegExp, prefix: RegExp, extra?: (body: string) => boolean): PatternRule {
  return {
    kind,
    re,
    valid: (v) => {
      const body = v.slice(prefix.exec(v)?.[0].length ?? 0);
      return realBody(body, 0) && (!extra || extra(body));
    },
  };
}

const mixed = (body: string) => /[0-9]/.test(body) && /[A-Z]/.test(body) && /[a-z]/.test(body);

export const VENDOR_RULES: PatternRule[] = [
  prefixed('aws-access-key', /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, /^..../),
  prefixed(
    'github-token',
    /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,240})(?![A-Za-z0-9_])/g,
    /^(?:github_pat_|gh._)/,
  ),
  // Personal, deploy, runner, trigger, feed, incoming-mail, CI/CD job, service-account, agent tokens.
  prefixed(
    'gitlab-token',
    /(?<![A-Za-z0-9_-])(?:gl(?:pat|dt|rt|ptt|ft|imt|cbt|soat|agent|oas|ffct)-|GR1348941)[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g,
    /^(?:GR1348941|gl[a-z]+-)/,
  ),
  prefixed('npm-token', /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, /^npm_/),
  prefixed('slack-token', /(?<![A-Za-z0-9_-])xox[abpr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g, /^xox.-/, (b) =>
    /[0-9]/.test(b),
  ),
  {
    kind: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/services\/(T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32})(?![A-Za-z0-9])/dg,
    group: 1,
    valid: (v) => realBody(v, 0),
  },
  prefixed(
    'stripe-key',
    /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])/g,
    /^.._[a-z]+_/,
  ),
  prefixed('google-api-key', /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, /^AIza/),
  prefixed(
    'anthropic-key',
    /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{32,300}(?![A-Za-z0-9_-])/g,
    /^sk-ant-(?:[a-z]+\d*-)?/,
  ),
  prefixed(
    'openai-key',
    /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
    /^sk-(?:(?:proj|svcacct|admin)-)?/,
    (b) => b.length >= 32 && mixed(b),
  ),
  prefixed('huggingface-token', /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34}(?![A-Za-z0-9_])/g, /^hf_/),
  prefixed('sendgrid-key', /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, /^SG\./),
  // `pypi-` + a macaroon whose first bytes always encode "pypi.org".
  prefixed(
    'pypi-token',
    /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/g,
    /^pypi-AgEIcHlwaS5vcmc/,
  ),
  prefixed('shopify-token', /(?<![A-Za-z0-9_])shp(?:at|ss|ca|pa)_[A-Fa-f0-9]{32}(?![A-Za-z0-9_])/g, /^shp.._/),
  prefixed('digitalocean-token', /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/g, /^do._v1_/),
  prefixed('grafana-token', /(?<![A-Za-z0-9_])glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9_])/g, /^glsa_/),
  prefixed('grafana-token', /(?<![A-Za-z0-9_])glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9+/=])/g, /^glc_/),
  // Service, batch and recovery tokens; legacy `s.` tokens are too short to tell from prose.
  prefixed('vault-token', /(?<![A-Za-z0-9_.-])hv[sbr]\.[A-Za-z0-9_-]{24,256}(?![A-Za-z0-9_-])/g, /^hv.\./),
  prefixed('twilio-key', /(?<![A-Za-z0-9_])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_])/g, /^SK/),
  prefixed(
    'azure-client-secret',
    /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    /^.{6}/,
  ),
  prefixed('telegram-bot-token', /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g, /^[0-9]+:AA/),
  prefixed(
    'discord-bot-token',
    /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/g,
    /^/,
    mixed,
  ),
  prefixed('sentry-token', /(?<![A-Za-z0-9_])sntry[us]_[A-Za-z0-9+/=_-]{40,400}(?![A-Za-z0-9+/=_-])/g, /^sntry._/),
  prefixed('notion-token', /(?<![A-Za-z0-9_])ntn_[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9])/g, /^ntn_/),
  prefixed('notion-token', /(?<![A-Za-z0-9_])secret_[A-Za-z0-9]{43}(?![A-Za-z0-9_])/g, /^secret_/, mixed),
  prefixed('linear-key', /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{32,128}(?![A-Za-z0-9_])/g, /^lin_[a-z]+_/),
  // 1Password account secret key (the service-account `ops_` token is left to secretlint).
  prefixed('onepassword-secret', /(?<![A-Z0-9-])A3-[A-Z0-9]{6}-[A-Z0-9]{6}(?:-[A-Z0-9]{5}){4}(?![A-Z0-9-])/g, /^A3-/),
  prefixed('mailchimp-key', /(?<![0-9a-f])[0-9a-f]{32}-us[0-9]{1,2}(?![0-9A-Za-z])/g, /^/),
  prefixed('sourcegraph-token', /(?<![A-Za-z0-9_])sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}(?![A-Za-z0-9_])/g, /^sgp_/),
  prefixed('facebook-token', /(?<![A-Za-z0-9_])EAA[A-Za-z0-9]{60,500}(?![A-Za-z0-9_])/g, /^EAA/, mixed),
];
