import { validateForm } from '../../web/forms.js';
import { PersonForm, personInput } from './person.form.js';

describe('the person form', () => {
  it('asks for a name and a role, and holds the email address to the one rule for addresses', async () => {
    const form = await validateForm(PersonForm, { name: ' ', email: 'priya at school' });
    expect(form.ok ? [] : form.errors.list.map((e) => e.text)).toEqual(['Enter their full name', 'Enter an email address in the correct format, like name@school.org.uk', 'Select their role']);
    const quoted = await validateForm(PersonForm, { name: 'Priya', role: 'teacher', email: '"priya shah"@school.org.uk' });
    expect(quoted.ok).toBe(false);
  });

  it('leaves out what was not answered, so a change keeps what the record held', async () => {
    const form = await validateForm(PersonForm, { name: ' Priya Shah ', role: 'teacher', email: '', schoolId: '', slt: 'false', subjectSpecialism: 'science', consentToContact: '', gender: '' });
    expect(form.ok && personInput(form.value)).toEqual({ name: 'Priya Shah', role: 'teacher', slt: false, subjectSpecialism: 'science' });
  });

  it('refuses an answer that is not one of the choices', async () => {
    const form = await validateForm(PersonForm, { name: 'Priya Shah', role: 'wizard', careerStage: 'veteran', consentToContact: 'maybe' });
    expect(form.ok ? [] : form.errors.list.map((e) => e.text)).toEqual(['Select their role', 'Select their career stage from the list', 'Select whether they may be sent evaluation surveys']);
  });
});
