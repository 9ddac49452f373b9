import { validateForm } from '../../web/forms.js';
import { BudgetOverrideForm, PartnershipForm, poundsToPence } from './partnership.form.js';

describe('the partnership forms', () => {
  const messages = async (form: new () => object, body: unknown) => {
    const result = await validateForm(form, body);
    return result.ok ? [] : result.errors.list.map((e) => e.text);
  };
  const cohortId = '0b9f1c1e-3c2a-4c8e-9f6b-5d2b8e1a7c40';

  it('asks for a name, a cohort and a budget, and takes the lead as optional', async () => {
    expect(await messages(PartnershipForm, {})).toEqual(['Enter the partnership’s name', 'Select the cohort its schools are in', 'Enter the budget, in pounds']);
    expect(await messages(PartnershipForm, { name: 'Redcar Coast', cohortId, educationalLeadId: '', budget: '25000' })).toEqual([]);
  });

  it('reads a budget written as people write money, in whole pounds', async () => {
    for (const budget of ['25000', '25,000', '£25,000', ' 25 000 ']) {
      const form = await validateForm(PartnershipForm, { name: 'Redcar Coast', cohortId, budget });
      expect(form.ok && form.value.budget).toBe('25000');
    }
    for (const budget of ['25000.50', '-1', 'lots', '1e5']) {
      expect(await messages(PartnershipForm, { name: 'Redcar Coast', cohortId, budget })).toEqual(['Enter the budget in whole pounds, like 25000']);
    }
  });

  it('refuses a name over two lines', async () => {
    expect(await messages(PartnershipForm, { name: 'Redcar\nCoast', cohortId, budget: '1' })).toEqual(['Enter the name on one line']);
  });

  it('takes an override of pounds and pence above nothing, with a reason', async () => {
    expect(await messages(BudgetOverrideForm, { amount: '500' })).toEqual(['Enter the reason for the override']);
    expect(await messages(BudgetOverrideForm, { amount: '0', reason: 'Trustees agreed' })).toEqual(['Enter an amount more than £0, in pounds and pence, like 500 or 499.50']);
    expect(await messages(BudgetOverrideForm, { amount: '0.00', reason: 'Trustees agreed' })).toHaveLength(1);
    expect(await messages(BudgetOverrideForm, { amount: '10.505', reason: 'Trustees agreed' })).toHaveLength(1);
    expect(await messages(BudgetOverrideForm, { amount: '£1,250.5', reason: 'Trustees agreed' })).toEqual([]);
  });

  it('turns pounds and pence into pence', () => {
    expect([poundsToPence('500'), poundsToPence('499.50'), poundsToPence('1250.5'), poundsToPence('0.05')]).toEqual([50000, 49950, 125050, 5]);
  });
});
