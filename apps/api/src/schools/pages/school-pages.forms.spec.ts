import { validateForm } from '../../web/forms.js';
import { ChangeStatusForm, FindSchoolsForm, inspectionDate } from './school-pages.forms.js';

describe("the schools pages' forms", () => {
  it('reads the date of an inspection from its three fields, with one message for what is wrong', () => {
    const today = '2026-12-07';
    expect(inspectionDate({ day: '12', month: '3', year: '2025' }, today)).toEqual({ iso: '2025-03-12' });
    expect(inspectionDate({ day: ' 7 ', month: '12', year: '2026' }, today)).toEqual({ iso: '2026-12-07' });
    expect(inspectionDate({}, today)).toEqual({ message: 'Enter the date of the inspection' });
    expect(inspectionDate({ month: '3' }, today)).toEqual({ message: 'The date of the inspection must include a day and year' });
    expect(inspectionDate({ day: '31', month: '2', year: '2025' }, today)).toEqual({ message: 'The date of the inspection must be a real date' });
    expect(inspectionDate({ day: 'x', month: '2', year: '2025' }, today)).toEqual({ message: 'The date of the inspection must be a real date' });
    expect(inspectionDate({ day: '8', month: '12', year: '2026' }, today)).toEqual({ message: 'The date of the inspection must be today or in the past' });
  });

  it('treats the empty fields of the filter form (sent with JavaScript off) as no filter, and refuses a tampered one', async () => {
    expect(await validateForm(FindSchoolsForm, { q: '', status: '', phase: 'secondary', partnershipId: '', cohortId: '', page: '' })).toMatchObject({
      ok: true,
      value: { q: undefined, status: undefined, phase: 'secondary', page: undefined },
    });
    expect(await validateForm(FindSchoolsForm, { page: '3' })).toMatchObject({ ok: true, value: { page: 3 } });
    expect((await validateForm(FindSchoolsForm, { phase: 'kindergarten' })).ok).toBe(false);
    expect((await validateForm(FindSchoolsForm, { page: 'two' })).ok).toBe(false);
    expect((await validateForm(FindSchoolsForm, { partnershipId: 'not-an-id' })).ok).toBe(false);
  });

  it('asks for the new status and a reason, in that order', async () => {
    const form = await validateForm(ChangeStatusForm, { reason: ' ' });
    expect(form.ok ? [] : form.errors.list).toEqual([
      { text: 'Select the new status', href: '#status' },
      { text: 'Enter the reason for the change', href: '#reason' },
    ]);
  });
});
