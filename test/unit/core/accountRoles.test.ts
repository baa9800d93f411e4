import assert from 'node:assert/strict';
import { describeCategory, describeStanding, readStanding } from '../../../src/core/accountRoles';
import { english } from '../../../src/core/l10n';
import { MEGAN, RILEY, sessionFor, tenantByName, useSandbox } from '../helpers';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const TAILSPIN = tenantByName('Tailspin Toys');
const NORTHWIND = tenantByName('Northwind Traders');

describe('core: an account\'s standing per directory (the Directories view\'s roles)', () => {
  const sandbox = useSandbox();
  const standing = async (account: string, tenantId: string): Promise<string> =>
    describeStanding(await readStanding(sessionFor(sandbox(), account), tenantId, english), english);

  it('names each account\'s role in each directory it reaches: Global Administrator, member, guest', async () => {
    assert.deepEqual(
      await Promise.all([standing(RILEY, FABRIKAM), standing(RILEY, CONTOSO), standing(RILEY, TAILSPIN), standing(MEGAN, CONTOSO), standing(MEGAN, FABRIKAM)]),
      ['Global Administrator', 'member', 'member', 'Global Administrator', 'guest'],
    );
  });

  it('says "role unknown" with Entra\'s reason when the roles are refused, and still says member or guest', async () => {
    sandbox().setFaults({ rules: [{ match: 'transitiveMemberOf', fault: 'reply', status: 403, times: 'always', body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } }] });
    const read = await readStanding(sessionFor(sandbox(), MEGAN), FABRIKAM, english);
    assert.deepEqual([read.userType, read.roles], ['Guest', null]);
    assert.match(read.unknownReason ?? '', /Insufficient privileges/);
    assert.equal(describeStanding(read, english), 'guest, role unknown');
  });

  it('says "role unknown" where the account cannot get a token (MFA), never a guessed member', async () => {
    const read = await readStanding(sessionFor(sandbox(), RILEY), NORTHWIND, english);
    assert.deepEqual([read.userType, read.roles], [null, null]);
    assert.match(read.unknownReason ?? '', /multi-factor/);
    assert.equal(describeStanding(read, english), 'role unknown');
  });

  it('words a guest with a role and a refused /me', () => {
    assert.equal(describeStanding({ userType: 'Guest', roles: ['Guest Inviter'] }, english), 'Guest Inviter, guest');
    assert.equal(describeStanding({ userType: null, roles: ['User Administrator'] }, english), 'User Administrator');
    assert.equal(describeStanding({ userType: 'Member', roles: ['Global Administrator', 'User Administrator'] }, english), 'Global Administrator, User Administrator');
  });

  it('explains ARM\'s category "Home": a member here, a guest from another directory, or not known which', async () => {
    const guest = await readStanding(sessionFor(sandbox(), MEGAN), FABRIKAM, english);
    assert.match(describeCategory('Home', MEGAN, guest, english), /^megan@contoso\.com is a guest in this directory: invited from another directory, so this is not the account's home directory/);
    const member = await readStanding(sessionFor(sandbox(), RILEY), FABRIKAM, english);
    assert.match(describeCategory('Home', RILEY, member, english), /is a member of this directory/);
    assert.match(describeCategory('Home', RILEY, undefined, english), /a member, or a guest who accepted an invitation .*does not say which, nor that it is the account's home directory/);
    assert.match(describeCategory('ProjectedBy', RILEY, undefined, english), /Azure Lighthouse/);
  });
});
