import { NotificationKinds } from './kinds.js';
import { renderNotification } from './render.js';

describe('rendering the welcome email', () => {
  const data = {
    contactName: 'Amira <Khan>',
    schoolName: 'Beechwood Primary',
    partnershipName: 'Tees Valley STEM Partnership',
    partnershipArea: null,
    joinedAt: '2026-09-01T08:00:00.000Z',
    publicBaseUrl: 'http://localhost:3000',
  };

  it('fills subject, text and html, dating the join in London time', () => {
    const message = renderNotification(NotificationKinds.SchoolWelcome, data);
    expect(message.subject).toBe('Welcome to Tees Valley STEM Partnership, Beechwood Primary');
    expect(message.text).toContain('Dear Amira <Khan>,');
    expect(message.text).toContain('Joined on 1 September 2026.');
    expect(message.html).toContain('Dear Amira &lt;Khan&gt;,');
    expect(message.html).not.toContain('<Khan>');
  });

  it('greets a colleague when no contact name is held', () => {
    expect(renderNotification(NotificationKinds.SchoolWelcome, { ...data, contactName: null }).text).toContain('Dear colleague,');
  });
});
