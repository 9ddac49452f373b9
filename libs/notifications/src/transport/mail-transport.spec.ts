import { classifySendError } from './mail-transport.js';

describe('reading an SMTP failure', () => {
  it('treats 5xx replies as final', () => {
    expect(classifySendError(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 mailbox unknown' }))).toEqual({
      permanent: true,
      reason: '550 5.1.1 mailbox unknown',
    });
  });

  it('treats 4xx replies and lost connections as worth another try', () => {
    expect(classifySendError(Object.assign(new Error('x'), { responseCode: 451, response: '451 try later' })).permanent).toBe(false);
    expect(classifySendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toEqual({
      permanent: false,
      reason: 'connect ECONNREFUSED',
    });
  });

  it('does not retry an envelope nodemailer itself refused', () => {
    expect(classifySendError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' })).permanent).toBe(true);
  });
});
