import { validateForm } from '../../web/forms.js';
import { CancelRequestForm, CheckForm, checkState, deliveryInput, DeliveryForm, statusFilter } from './ambassadors.forms.js';

describe('the ambassador pages', () => {
  it('flags a safeguarding check that has expired or expires within 60 days', () => {
    expect(checkState(null, '2027-01-12')).toMatchObject({ state: 'none' });
    expect(checkState('2027-01-11', '2027-01-12')).toMatchObject({ state: 'expired', text: 'Expired', colour: 'red' });
    expect(checkState('2027-01-12', '2027-01-12')).toMatchObject({ state: 'expiring', text: 'Expires today' });
    expect(checkState('2027-01-13', '2027-01-12')).toMatchObject({ state: 'expiring', text: 'Expires in 1 day' });
    expect(checkState('2027-03-13', '2027-01-12')).toMatchObject({ state: 'expiring', text: 'Expires in 60 days' });
    expect(checkState('2027-03-14', '2027-01-12')).toMatchObject({ state: 'valid', colour: 'green' });
  });

  it('asks why a request is cancelled', async () => {
    const blank = await validateForm(CancelRequestForm, { reason: '   ' });
    expect(blank.ok).toBe(false);
    if (!blank.ok) expect(blank.errors.byField.reason).toEqual({ text: 'Enter why the request is cancelled' });
    const given = await validateForm(CancelRequestForm, { reason: ' The trip moved ' });
    expect(given).toMatchObject({ ok: true, value: { reason: 'The trip moved' } });
  });

  it('takes a delivery as the service does, and refuses a count that is not a number', async () => {
    const form = await validateForm(DeliveryForm, { delivered: 'yes', pupilsReached: ' 58 ', notes: '' });
    expect(form.ok).toBe(true);
    if (form.ok) expect(deliveryInput(form.value)).toEqual({ delivered: true, pupilsReached: 58, notes: undefined });
    const bad = await validateForm(DeliveryForm, { pupilsReached: 'lots' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors.byField).sort()).toEqual(['delivered', 'pupilsReached']);
  });

  it('filters by a known status only', () => {
    expect(statusFilter('cancelled')).toBe('cancelled');
    expect(statusFilter('toString')).toBeUndefined();
    expect(statusFilter(['cancelled'])).toBeUndefined();
  });

  it('takes a check with real dates, the expiry after the check', async () => {
    const good = await validateForm(CheckForm, { type: 'DBS', number: ' 001122334455 ', checkedOn: '2027-01-10', expiresOn: '2030-01-10', status: 'active' });
    expect(good).toMatchObject({ ok: true, value: { number: '001122334455' } });
    const bad = await validateForm(CheckForm, { type: 'CRB', number: '1', checkedOn: '2027-02-30', expiresOn: '2026-01-01', status: 'gone' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors.byField).sort()).toEqual(['checkedOn', 'expiresOn', 'number', 'status', 'type']);
    const backwards = await validateForm(CheckForm, { type: 'PVG', number: '1234', checkedOn: '2027-01-10', expiresOn: '2027-01-10', status: 'paused' });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.errors.byField.expiresOn).toEqual({ text: 'The expiry date must be after the date the check was made' });
  });
});
