// The join link in the URL fragment and the token's subject.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseJoinFragment, pendingKey, tokenSubject } from '../../web-client/lib/join.js';

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;

test('a join link gives session and token', () => {
  const tok = token({ sub: 'u-anna', name: 'Anna' });
  assert.deepEqual(parseJoinFragment(`#session=s42&token=${tok}`), { session: 's42', token: tok });
  assert.deepEqual(parseJoinFragment(`token=${tok}&session=s_4-2`), { session: 's_4-2', token: tok });
});

test('no fragment, or an unrelated one, is not a join link', () => {
  assert.equal(parseJoinFragment(''), null);
  assert.equal(parseJoinFragment('#'), null);
  assert.equal(parseJoinFragment('#top'), null);
  assert.equal(parseJoinFragment(undefined), null);
});

test('a broken join link is reported as invalid', () => {
  const tok = token({ sub: 'u' });
  for (const h of ['#session=s42', `#token=${tok}`, `#session=s/42&token=${tok}`, `#session=${'x'.repeat(65)}&token=${tok}`,
    '#session=s42&token=notajwt', '#session=s42&token=a.b.c<script>']) {
    assert.deepEqual(parseJoinFragment(h), { invalid: true }, h);
  }
});

test('the subject is read from the token without verifying it', () => {
  assert.equal(tokenSubject(token({ sub: 'u-rasa', name: 'Rasa Žukauskienė' })), 'u-rasa');
  assert.equal(tokenSubject(token({ name: 'no sub' })), null);
  assert.equal(tokenSubject('garbage'), null);
  assert.equal(pendingKey('s42', token({ sub: 'u-rasa' })), 'kopa.pending:s42:u-rasa');
  assert.equal(pendingKey('s42', 'x'), 'kopa.pending:s42:?');
});
