import { missingKpiFields } from './person-vocabulary.js';

describe('a complete participant record', () => {
  const definition = { completeRecordRequires: ['email', 'role', 'slt', 'subjectSpecialism', 'careerStage', 'consentToContact'] as const };

  it('counts when every required field is held, false flags included', () => {
    expect(
      missingKpiFields(
        { email: 'a@b.c', role: 'teacher', slt: false, subjectSpecialism: 'maths', careerStage: 'rqt', consentToContact: true },
        { completeRecordRequires: [...definition.completeRecordRequires] },
      ),
    ).toEqual([]);
  });

  it('lists what is missing, consent included', () => {
    expect(missingKpiFields({ email: '', role: 'teacher', slt: null, consentToContact: false }, { completeRecordRequires: [...definition.completeRecordRequires] })).toEqual([
      'email',
      'slt',
      'subjectSpecialism',
      'careerStage',
      'consentToContact',
    ]);
  });
});
