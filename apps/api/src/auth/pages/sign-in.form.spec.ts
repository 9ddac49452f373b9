import { validateForm } from '../../web/forms.js';
import { SignInForm } from './sign-in.form.js';

describe('the sign-in form', () => {
  const problem = async (body: unknown) => {
    const form = await validateForm(SignInForm, body);
    return form.ok ? undefined : form.errors.list;
  };

  it('asks for an address when there is none, whatever was sent', async () => {
    for (const body of [{ email: '' }, { email: '   ' }, {}, undefined, 'email=', [], { email: ['a@b.org', 'c@d.org'] }]) {
      expect(await problem(body)).toEqual([{ text: 'Enter your email address', href: '#email' }]);
    }
  });

  it('asks for the right format, and keeps what was typed to show again', async () => {
    const form = await validateForm(SignInForm, { email: 'priya at school', extra: 'ignored' });
    expect(form).toEqual({
      ok: false,
      values: { email: 'priya at school', extra: 'ignored' },
      errors: {
        list: [{ text: 'Enter an email address in the correct format, like name@school.org.uk', href: '#email' }],
        byField: { email: { text: 'Enter an email address in the correct format, like name@school.org.uk' } },
      },
    });
  });

  it('takes an address as typed, without the spaces around it', async () => {
    const form = await validateForm(SignInForm, { email: ' Priya.Shah@School.example.org ', extra: 'dropped' });
    expect(form.ok && form.value.email).toBe('Priya.Shah@School.example.org');
  });
});
