import type { Browser, Page } from 'playwright-core';
import type { CaughtMessage } from '#notifications/catcher/mail-catcher';
import { expectAccessible, launchBrowser, linkIn, screenshot } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * The figures fed by the workflows, on a data set built the way people build it: attendance
 * recorded → feedback and, a term later, impact surveys answered on /s/; baselines and a
 * termly self-evaluation submitted on /e/; STEM Ambassador offers accepted on /r/ and hours
 * logged there. Every expected number is worked out by hand in the comments.
 *
 * Wave W: Pine (Ash and Birch schools, lead Pia) and Quince (Cedar school, lead Quin).
 * People: Tia (teacher, Ash), Sam (senior leader on the SLT, Ash), Ted (technician, Birch),
 * Uma (teacher, Cedar). Courses: Practical science (8 Dec: Tia, Sam, Ted, Uma) and Maths
 * mastery (9 Dec: Tia, Uma), 6 hours each; Sam also has 70 hours of third-party CPD.
 */
describe('reports fed by surveys, self-evaluation and STEM Ambassadors', () => {
  let platform: TestPlatform;
  const id: Record<string, string> = {};
  const here = { latitude: 54.5742, longitude: -1.235 };

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const rows = async (key: string, query = `programmeId=${id.programme}`) => (await ok('GET', `/api/v1/reports/${key}?${query}`)).rows;
  const post = async (url: string, fields: Record<string, string>) => {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    if (answer.status >= 400) throw new Error(`POST ${url}: ${answer.status} ${await answer.text()}`);
    return answer.status;
  };
  const mailTo = (email: string, match: (m: CaughtMessage) => boolean, count = 1) =>
    eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to[0] === email && match(m));
      if (found.length < count) throw new Error(`${found.length} of ${count} messages to ${email} so far`);
      return found;
    });
  const email = (key: string) => `${key}@workflows.example.org`;

  /** Posts a self-evaluation page with a level for each item named; items are found in the evaluation's own form. */
  async function evaluate(link: string, schoolKey: string, term: string, levels: Record<string, number>, action: 'submit' | 'draft', otherwise?: number) {
    const [evaluation] = await platform.query<{ form: { sections: Array<{ frameworkKey: string; elements: Array<{ key: string }> }> } }>(
      `SELECT form FROM self_evaluations WHERE school_id = $1 AND term_label = $2`,
      [id[schoolKey], term],
    );
    const fields: Record<string, string> = { action };
    let index = 0;
    for (const section of evaluation.form.sections) {
      for (const element of section.elements) {
        const level = section.frameworkKey === 'ats-maturity' ? (levels[element.key] ?? otherwise) : otherwise;
        if (level !== undefined) fields[`level-${index}`] = String(level);
        index += 1;
      }
    }
    expect(await post(link, fields)).toBe(303);
  }

  const AGREEMENT = ['well_organised', 'relevant', 'outcomes_met', 'impact_practice', 'impact_students', 'share_learning', 'subject_knowledge'];
  const feedback = (satisfaction: string, quality: string, agreement: string, impactPractice: string, onlineResources: string, why = '') => ({
    satisfaction,
    quality,
    ...Object.fromEntries(AGREEMENT.map((k) => [k, agreement])),
    impact_practice: impactPractice,
    online_resources: onlineResources,
    why_useful: why,
  });

  beforeAll(async () => {
    // The worker keeps every figure from the start, as it would in production, but the API
    // works every figure out when asked (a figure would have to take an hour to be read from
    // its snapshot) until the last test says otherwise.
    platform = await TestPlatform.start({ name: 'reports-workflows', env: { CLOCK: 'virtual', REPORT_SNAPSHOTS_EVERY_MINUTES: '30', REPORT_LIVE_UNDER_MS: '3600000' } });
    await moveClock('2026-12-01T10:00:00Z');
    id.programme = (
      await ok('POST', '/api/v1/programmes', {
        name: 'Workflow Programme',
        startsOn: '2026-09-01',
        endsOn: '2028-08-31',
        frameworkKey: 'ats-maturity',
        kpiDefinition: { completeRecordRequires: ['email'] },
      })
    ).id;
    // No survey reminders: every survey email in the catcher is an invitation.
    id.wave = (
      await ok('POST', `/api/v1/programmes/${id.programme}/cohorts`, {
        name: 'Wave W',
        startsOn: '2026-09-01',
        endsOn: '2027-07-23',
        calendarKey: 'england',
        status: 'active',
        workflowPolicy: { surveys: { maxReminders: 0 } },
      })
    ).id;
    const partnership = async (name: string, leadName: string) => {
      const lead = await ok('POST', '/api/v1/people', { name: leadName, email: email(leadName.toLowerCase().replace(' ', '.')), role: 'educational_lead', consentToContact: true });
      return (await ok('POST', '/api/v1/partnerships', { name, cohortId: id.wave, budgetPounds: 5_000, educationalLeadId: lead.id })).id;
    };
    id.pine = await partnership('Pine', 'Pia Lead');
    id.quince = await partnership('Quince', 'Quin Lead');
    const school = async (key: string, urn: number, name: string, partnershipId: string) => {
      id[key] = (await ok('POST', '/api/v1/schools', { urn, name, phase: 'secondary', contactName: `Contact ${name}`, contactEmail: email(`contact.${key}`) })).id;
      await ok('PATCH', `/api/v1/schools/${id[key]}`, here);
      await ok('POST', `/api/v1/partnerships/${partnershipId}/members`, { schoolId: id[key] });
    };
    await school('ash', 710_001, 'Ash School', id.pine);
    await school('birch', 710_002, 'Birch School', id.pine);
    await school('cedar', 710_003, 'Cedar School', id.quince);
    await ok('PUT', `/api/v1/cohorts/${id.wave}/self-evaluation`, { frameworkKey: 'ats-maturity', elementKeys: ['cpd', 'enrichment'] });

    // Baselines at joining, through the link in each welcome (maturity levels 1–5; every other element 2).
    const welcome = async (key: string) => linkIn((await mailTo(email(`contact.${key}`), (m) => m.subject.startsWith('Welcome to')))[0], 'e');
    await evaluate(await welcome('ash'), 'ash', 'baseline', { cpd: 1, enrichment: 2 }, 'submit', 2);
    await evaluate(await welcome('birch'), 'birch', 'baseline', { cpd: 2, enrichment: 2 }, 'submit', 2);
    await evaluate(await welcome('cedar'), 'cedar', 'baseline', { cpd: 1, enrichment: 1 }, 'submit', 2);

    const person = async (key: string, schoolKey: string, name: string, role: string, slt: boolean) => {
      id[key] = (await ok('POST', '/api/v1/people', { schoolId: id[schoolKey], name, email: email(key), role, slt, subjectSpecialism: 'science', consentToContact: true })).id;
    };
    await person('tia', 'ash', 'Tia', 'teacher', false);
    await person('sam', 'ash', 'Sam', 'senior_leader', true);
    await person('ted', 'birch', 'Ted', 'technician', false);
    await person('uma', 'cedar', 'Uma', 'teacher', false);
    const course = async (title: string, subject: string) => (await ok('POST', '/api/v1/courses', { programmeId: id.programme, title, subject, format: 'local', hours: 6, costPence: 0 })).id;
    const session = async (courseId: string, day: string) =>
      (await ok('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt: `${day}T09:00:00Z`, endsAt: `${day}T15:00:00Z`, venue: 'Hub', capacity: 20 })).id;
    const science = await session(await course('Practical science', 'science'), '2026-12-08');
    const maths = await session(await course('Maths mastery', 'maths'), '2026-12-09');
    const book = async (sessionId: string, key: string) => (await ok('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: id[key] })).id as string;
    const scienceBookings = [await book(science, 'tia'), await book(science, 'sam'), await book(science, 'ted'), await book(science, 'uma')];
    const mathsBookings = [await book(maths, 'tia'), await book(maths, 'uma')];
    await ok('POST', '/api/v1/cpd-records', { personId: id.sam, channel: 'third_party', subject: 'leadership', title: 'Leading STEM residential', hours: 70, occurredOn: '2026-11-20' });

    // Three STEM Ambassadors a few km away, checked until 2029.
    for (const n of [1, 2, 3]) {
      id[`amb${n}`] = (
        await ok('POST', '/api/v1/ambassadors', {
          name: `Ambassador ${n}`,
          email: email(`ambassador${n}`),
          employer: `Employer ${n}`,
          sector: 'Engineering',
          skills: ['robotics'],
          keyStages: ['ks2', 'ks3', 'ks4'],
          postcode: 'TS1 3BA',
          latitude: here.latitude + 0.01 * n,
          longitude: here.longitude,
          travelRadiusKm: 30,
          availability: { weekdays: [1, 2, 3, 4, 5] },
          offersVirtual: false,
          check: { type: 'DBS', number: `0099887766${n}`, checkedOn: '2025-06-01', expiresOn: '2029-06-01' },
        })
      ).id;
    }

    await moveClock('2026-12-08T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${science}/register`, { attended: scienceBookings, noShow: [] });
    await moveClock('2026-12-09T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${maths}/register`, { attended: mathsBookings, noShow: [] });
    const feedbackLink = async (key: string, title: string) => linkIn((await mailTo(email(key), (m) => m.subject === `Feedback on your CPD: ${title}`))[0], 's');
    await post(await feedbackLink('tia', 'Practical science'), feedback('excellent', 'very_good', 'agree_strongly', 'agree_strongly', 'very_useful', 'OPEN-TEXT-NEVER-IN-A-FIGURE'));
    await post(await feedbackLink('sam', 'Practical science'), feedback('good', 'good', 'agree', 'disagree', 'not_used'));
    await post(await feedbackLink('ted', 'Practical science'), feedback('very_good', 'good', 'agree', 'agree', 'quite_useful'));
    await post(await feedbackLink('uma', 'Maths mastery'), feedback('poor', 'poor', 'disagree', 'disagree_strongly', 'of_little_or_no_use'));
    // Tia's maths feedback and Uma's science feedback are never answered.
    await feedbackLink('tia', 'Maths mastery');
    await feedbackLink('uma', 'Practical science');

    // Spring term: invitations on 7 January, deadline 28 days later (4 February).
    await moveClock('2027-01-07T10:00:00Z');
    const springLink = async (key: string) => linkIn((await mailTo(email(`contact.${key}`), (m) => m.subject.startsWith('Your 2026/27 spring self-evaluation is open')))[0], 'e');
    const ashSpring = await springLink('ash');
    await evaluate(ashSpring, 'ash', '2026/27 spring', { cpd: 3, enrichment: 2 }, 'submit');
    const birchSpring = await springLink('birch');
    await evaluate(birchSpring, 'birch', '2026/27 spring', { cpd: 2, enrichment: 4 }, 'submit');
    await evaluate(birchSpring, 'birch', '2026/27 spring', { cpd: 3, enrichment: 4 }, 'submit'); // the latest submission counts
    await evaluate(await springLink('cedar'), 'cedar', '2026/27 spring', { cpd: 2 }, 'draft');

    const request = async (schoolKey: string, activityType: string, day: string, keyStages: string[], numberWanted: number) =>
      (await ok('POST', `/api/v1/schools/${id[schoolKey]}/ambassador-requests`, { activityType, startsAt: `${day}T09:30:00Z`, endsAt: `${day}T11:30:00Z`, keyStages, numberWanted })).id as string;
    id.r1 = await request('ash', 'Careers talk', '2027-02-10', ['ks2'], 2);
    id.r2 = await request('birch', 'STEM club visit', '2027-02-11', ['ks3', 'ks4'], 2);
    id.r3 = await request('cedar', 'Careers fair', '2027-03-10', ['ks4'], 1);
    const offer = async (n: number, school: string) => (await mailTo(email(`ambassador${n}`), (m) => m.subject.startsWith('Can you help?') && m.subject.includes(school)))[0];
    for (const n of [1, 2, 3]) for (const school of ['Ash School', 'Birch School', 'Cedar School']) await offer(n, school);
    await ok('POST', `/api/v1/ambassador-requests/${id.r2}/cancel`, { reason: 'Club moved to the summer term' });

    await moveClock('2027-01-08T10:00:00Z');
    await post(linkIn(await offer(2, 'Cedar School'), 'r'), { answer: 'accept' }); // R3 filled 1 day after it was made
    await moveClock('2027-01-09T10:00:00Z');
    await post(linkIn(await offer(1, 'Ash School'), 'r'), { answer: 'accept' });
    await post(linkIn(await offer(2, 'Ash School'), 'r'), { answer: 'accept' }); // R1 filled 2 days after it was made
    await eventually(async () => expect((await ok('GET', `/api/v1/ambassador-requests/${id.r1}`)).status).toBe('filled'));

    // After the careers talk: the school confirms it, Ambassador 1 logs 2.5 hours on the offer's page.
    await moveClock('2027-02-11T10:00:00Z');
    await ok('POST', `/api/v1/ambassador-requests/${id.r1}/delivery`, { delivered: true, pupilsReached: 60, notes: 'Year 6' });
    // An accepted offer's link stays open for logging hours after the day.
    expect(await post(linkIn(await offer(1, 'Ash School'), 'r'), { answer: 'hours', hours: '2.5' })).toBe(200);

    // The impact survey, 84 days after attendance (2 and 3 March).
    await moveClock('2027-03-04T10:00:00Z');
    const impactLink = async (key: string, title: string) => linkIn((await mailTo(email(key), (m) => m.subject === `What difference has your CPD made?: ${title}`))[0], 's');
    await post(await impactLink('tia', 'Practical science'), { used_it: 'regularly', confidence: 'agree_strongly', shared: 'agree', change_for_you: 'OPEN-TEXT-NEVER-IN-A-FIGURE' });
    await post(await impactLink('sam', 'Practical science'), { used_it: 'not_yet', confidence: 'agree', shared: 'disagree' });
    await post(await impactLink('uma', 'Maths mastery'), { used_it: 'once_or_twice', confidence: 'agree', shared: 'agree' });
    for (const [key, title] of [
      ['ted', 'Practical science'],
      ['uma', 'Practical science'],
      ['tia', 'Maths mastery'],
    ])
      await impactLink(key, title);
  }, 300_000);
  afterAll(async () => {
    await platform?.stop();
  });

  /**
   * Priya (made by the dashboard test) signs in by the emailed link, her `nth` sign-in, and
   * opens the figures. The link's address is the API's first one, as the worker was given
   * it; the API may have been restarted on another port since.
   */
  async function signInAsPriya(browser: Browser, nth: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const base = `http://127.0.0.1:${platform.apiPort}`;
    await page.goto(`${base}/dashboard`);
    await page.getByLabel('Email address').fill('priya@workflows.example.org');
    await page.getByRole('button', { name: 'Continue' }).click();
    const signIns = await mailTo('priya@workflows.example.org', (m) => m.subject === 'Sign in to the stemflow dashboard', nth);
    await page.goto(`${base}${new URL(linkIn(signIns[nth - 1], 'sign-in')).pathname}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
    await page.goto(`${base}/dashboard`);
    return page;
  }

  const pick = (all: Array<Record<string, unknown>>, where: Record<string, unknown>) => all.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));

  it("distributes each feedback answer by course and by role, in the scale's order, never showing open answers", async () => {
    const byCourse = await rows('feedback-by-course');
    // Practical science: Tia excellent, Sam good, Ted very good (Uma did not answer).
    expect(pick(byCourse, { course: 'Practical science', item: 'How satisfied were you with the session overall?' }).map((r) => [r.answer, r.responses, r.percent])).toEqual([
      ['Poor', 0, 0],
      ['Fair', 0, 0],
      ['Good', 1, 33.3],
      ['Very good', 1, 33.3],
      ['Excellent', 1, 33.3],
    ]);
    // Maths mastery: Uma alone.
    expect(pick(byCourse, { course: 'Maths mastery', item: 'How would you rate the overall quality of the session?' }).map((r) => r.responses)).toEqual([1, 0, 0, 0]);
    // 2 courses × (satisfaction 5 + quality 4 + 7 statements × 4 + online resources 4 = 41 answers), the open question left out.
    expect(byCourse).toHaveLength(82);
    const byRole = await rows('feedback-by-role');
    // Teachers incl. SLT: Tia agree strongly, Sam disagree, Uma disagree strongly. Other roles: Ted agree.
    expect(pick(byRole, { role: 'teachers (incl. SLT)', item: 'It will have an impact on my future practice' }).map((r) => [r.answer, r.responses, r.percent])).toEqual([
      ['Disagree strongly', 1, 33.3],
      ['Disagree', 1, 33.3],
      ['Agree', 0, 0],
      ['Agree strongly', 1, 33.3],
    ]);
    expect(pick(byRole, { role: 'other roles', item: 'It will have an impact on my future practice' }).map((r) => r.responses)).toEqual([0, 0, 1, 0]);
    const csv = await platform.http('GET', `/api/v1/reports/feedback-by-course?programmeId=${id.programme}&format=csv`);
    expect(csv.text).not.toContain('OPEN-TEXT');
    expect(JSON.stringify(await rows('impact-survey-results'))).not.toContain('OPEN-TEXT');
  });

  it("gives the impact survey's results and every survey's response rate", async () => {
    // Tia regularly, Sam not yet, Uma once or twice; confidence: agree strongly, agree, agree; shared: agree, disagree, agree.
    expect((await rows('impact-survey-results')).map((r: Record<string, unknown>) => [r.item, r.answer, r.responses, r.percent])).toEqual([
      ['Have you used what you learned in your teaching?', 'Yes, regularly', 1, 33.3],
      ['Have you used what you learned in your teaching?', 'Yes, once or twice', 1, 33.3],
      ['Have you used what you learned in your teaching?', 'Not yet, but I plan to', 1, 33.3],
      ['Have you used what you learned in your teaching?', 'No', 0, 0],
      ['I am more confident teaching this subject', 'Disagree strongly', 0, 0],
      ['I am more confident teaching this subject', 'Disagree', 0, 0],
      ['I am more confident teaching this subject', 'Agree', 2, 66.7],
      ['I am more confident teaching this subject', 'Agree strongly', 1, 33.3],
      ['I have shared this learning with colleagues', 'Disagree strongly', 0, 0],
      ['I have shared this learning with colleagues', 'Disagree', 1, 33.3],
      ['I have shared this learning with colleagues', 'Agree', 2, 66.7],
      ['I have shared this learning with colleagues', 'Agree strongly', 0, 0],
    ]);
    // Everyone who took part here was asked: nobody objected, and everyone has an address.
    const rate = (survey: string, course: string, invited: number, responded: number, responseRatePercent: number) => ({
      cohort: 'Wave W',
      survey,
      course,
      invited,
      responded,
      responseRatePercent,
      notAsked: 0,
      notAskedObjected: 0,
      notAskedNoEmail: 0,
      notAskedNotSent: 0,
    });
    expect(await rows('survey-response-rates')).toEqual([
      // Feedback: science 3 of 4, maths 1 of 2: 4 of 6 = 66.7%.
      rate('Feedback on your CPD', 'Maths mastery', 2, 1, 50),
      rate('Feedback on your CPD', 'Practical science', 4, 3, 75),
      rate('Feedback on your CPD', 'all courses', 6, 4, 66.7),
      // Impact: science 2 of 4 (Tia, Sam), maths 1 of 2 (Uma): 3 of 6.
      rate('What difference has your CPD made?', 'Maths mastery', 2, 1, 50),
      rate('What difference has your CPD made?', 'Practical science', 4, 2, 50),
      rate('What difference has your CPD made?', 'all courses', 6, 3, 50),
    ]);
    // Quince alone: Uma's two feedback invitations (maths answered) and two impact invitations (maths answered).
    expect(
      (await rows('survey-response-rates', `partnershipId=${id.quince}`))
        .filter((r: Record<string, unknown>) => r.course === 'all courses')
        .map((r: Record<string, unknown>) => [r.invited, r.responded]),
    ).toEqual([
      [2, 1],
      [2, 1],
    ]);
    // Only the science session (8 December): 4 invitations per survey.
    expect((await rows('survey-response-rates', `programmeId=${id.programme}&from=2026-12-08&to=2026-12-08`)).map((r: Record<string, unknown>) => [r.course, r.invited, r.responded])).toEqual([
      ['Practical science', 4, 3],
      ['all courses', 4, 3],
      ['Practical science', 4, 2],
      ['all courses', 4, 2],
    ]);
  });

  it("shows each element's levels per term, the average gain from the baseline, and the schools that did not re-evaluate", async () => {
    const levels = await rows('self-evaluation-levels');
    const counts = (partnership: string, element: string, term: string) => pick(levels, { partnership, element, term }).map((r) => r.schools);
    // CPD for STEM teachers, Pine: baseline Ash 1, Birch 2; spring Ash 3, Birch 3 (its latest submission).
    expect(pick(levels, { partnership: 'Pine', element: 'CPD for STEM teachers', term: 'baseline' }).map((r) => r.level)).toEqual(['Beginning', 'Early progress', 'Results', 'Maturity', 'Exemplar']);
    expect(counts('Pine', 'CPD for STEM teachers', 'baseline')).toEqual([1, 1, 0, 0, 0]);
    expect(counts('Pine', 'CPD for STEM teachers', '2026/27 spring')).toEqual([0, 0, 2, 0, 0]);
    expect(counts('Pine', 'STEM enrichment', '2026/27 spring')).toEqual([0, 1, 0, 1, 0]);
    // Cedar's spring evaluation is only a draft: Quince has its baseline alone.
    expect(counts('Quince', 'CPD for STEM teachers', 'baseline')).toEqual([1, 0, 0, 0, 0]);
    expect(pick(levels, { partnership: 'Quince', term: '2026/27 spring' })).toEqual([]);
    // Terms in the order they opened.
    expect([...new Set(pick(levels, { partnership: 'Pine', element: 'STEM enrichment' }).map((r) => r.term))]).toEqual(['baseline', '2026/27 spring']);
    // From 1 January only the spring term counts.
    expect(new Set((await rows('self-evaluation-levels', `programmeId=${id.programme}&from=2027-01-01`)).map((r: Record<string, unknown>) => r.term))).toEqual(new Set(['2026/27 spring']));

    const gain = (await rows('self-evaluation-gain')).sort((a: Record<string, string>, b: Record<string, string>) => a.element.localeCompare(b.element));
    const pine = { cohort: 'Wave W', partnership: 'Pine', framework: 'STEM maturity grid (Aspire to STEM)', schools: 2 };
    expect(gain).toEqual([
      // Ash 1 → 3 (+2), Birch 2 → 3 (+1): baseline 1.5, latest 3, gain 1.5.
      { ...pine, element: 'CPD for STEM teachers', averageBaselineLevel: 1.5, averageLatestLevel: 3, averageGain: 1.5, schoolsUp: 2, schoolsSame: 0, schoolsDown: 0 },
      // Ash 2 → 2 (0), Birch 2 → 4 (+2): baseline 2, latest 3, gain 1.
      { ...pine, element: 'STEM enrichment', averageBaselineLevel: 2, averageLatestLevel: 3, averageGain: 1, schoolsUp: 1, schoolsSame: 1, schoolsDown: 0 },
    ]);

    // Cedar's draft was never submitted by the deadline, 4 February.
    expect(await rows('self-evaluation-not-returned')).toEqual([
      {
        cohort: 'Wave W',
        partnership: 'Quince',
        term: '2026/27 spring',
        school: 'Cedar School',
        deadline: '2027-02-04',
        statusNow: 'draft saved',
        educationalLead: 'Quin Lead',
        educationalLeadEmail: email('quin.lead'),
      },
    ]);
    expect(await rows('self-evaluation-not-returned', `partnershipId=${id.pine}`)).toEqual([]);
  });

  it('counts STEM Ambassador requests, time to fill, planned against delivered, hours and active ambassadors', async () => {
    const none = { open: 0, filled: 0, partiallyFilled: 0, delivered: 0, closed: 0, expired: 0, cancelled: 0 };
    expect(await rows('ambassador-requests')).toEqual([
      // Pine: the careers talk (filled 2 days after it was made, then delivered) and the cancelled club visit.
      { cohort: 'Wave W', partnership: 'Pine', requests: 2, ...none, delivered: 1, cancelled: 1, filledInFull: 1, medianDaysToFill: 2 },
      // Quince: the careers fair, filled a day after it was made.
      { cohort: 'Wave W', partnership: 'Quince', requests: 1, ...none, filled: 1, filledInFull: 1, medianDaysToFill: 1 },
    ]);
    expect(await rows('ambassador-delivery')).toEqual([
      // The cancelled visit left out: 2 wanted, 2 accepted and delivered to 60 pupils, Ambassador 1's 2.5 hours.
      {
        cohort: 'Wave W',
        partnership: 'Pine',
        requests: 1,
        ambassadorsWanted: 2,
        ambassadorsAccepted: 2,
        requestsDelivered: 1,
        ambassadorsDelivered: 2,
        pupilsReached: 60,
        hoursLogged: 2.5,
        ambassadorsActive: 2,
      },
      {
        cohort: 'Wave W',
        partnership: 'Quince',
        requests: 1,
        ambassadorsWanted: 1,
        ambassadorsAccepted: 1,
        requestsDelivered: 0,
        ambassadorsDelivered: 0,
        pupilsReached: 0,
        hoursLogged: 0,
        ambassadorsActive: 1,
      },
    ]);
    // From March only the careers fair is in range.
    expect((await rows('ambassador-delivery', `programmeId=${id.programme}&from=2027-03-01`)).map((r: Record<string, unknown>) => r.partnership)).toEqual(['Quince']);
    const answer = await platform.http('GET', `/api/v1/reports/ambassador-delivery?programmeId=${id.programme}&format=csv`);
    expect(answer.text).not.toMatch(/DBS|0099887766|2029/);
    // Careers talk KS2, careers fair KS4 (the cancelled visit left out): both under 5, hidden.
    expect(await rows('ambassador-requests-by-key-stage')).toEqual([{ cohort: 'Wave W', eyfs: 0, ks1: 0, ks2: null, ks3: 0, ks4: null, ks5: 0, requests: 2 }]);
  });

  it('breaks outcomes down by CPD-unit band', async () => {
    // Tia 12 h, Ted 6 h, Uma 12 h: under 10 units; Sam 6 + 70 = 76 h = 15.2 units.
    // Under 10: feedback Tia agree strongly, Ted agree, Uma disagree strongly (2 of 3); impact Tia regularly, Uma once or twice (2 of 2).
    // 10 to 20: Sam disagrees (0 of 1), not yet (0 of 1).
    expect(await rows('outcomes-by-cpd-unit-band')).toEqual([
      { cohort: 'Wave W', band: 'under 10', participants: 3, feedbackResponses: 3, agreeImpactOnPractice: 2, agreeImpactOnPracticePercent: 66.7, impactResponses: 2, usedIt: 2, usedItPercent: 100 },
      { cohort: 'Wave W', band: '10 to 20', participants: 1, feedbackResponses: 1, agreeImpactOnPractice: 0, agreeImpactOnPracticePercent: 0, impactResponses: 1, usedIt: 0, usedItPercent: 0 },
    ]);
    // Quince alone: Uma.
    expect(await rows('outcomes-by-cpd-unit-band', `partnershipId=${id.quince}`)).toEqual([
      { cohort: 'Wave W', band: 'under 10', participants: 1, feedbackResponses: 1, agreeImpactOnPractice: 0, agreeImpactOnPracticePercent: 0, impactResponses: 1, usedIt: 1, usedItPercent: 100 },
    ]);
  });

  it('draws levels over terms and the other new charts on the dashboard, and a filter changes them', async () => {
    const made = await platform.run(
      'node',
      ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${id.programme}`, '--name', 'Priya', '--email', 'priya@workflows.example.org'],
      { DATABASE_URL: platform.databaseUrl },
    );
    expect(made.code).toBe(0);
    const browser = await launchBrowser();
    try {
      const page = await signInAsPriya(browser, 1);
      await page.getByRole('heading', { name: 'Programme figures' }).waitFor();
      const titles = await page.locator('svg.chart > title').allTextContents();
      expect(titles).toEqual(
        expect.arrayContaining([
          'Self-evaluation levels over terms',
          'Agreement with each feedback statement, by role',
          'Survey invitations and responses',
          'STEM Ambassadors wanted, accepted and delivered',
          'Outcomes by CPD units (%)',
        ]),
      );
      const levelsChart = page.locator('svg.chart', { has: page.locator('title', { hasText: 'Self-evaluation levels over terms' }) });
      await expect(levelsChart.locator('desc').textContent()).resolves.toContain('Pine · CPD for STEM teachers · 2026/27 spring: Beginning 0, Early progress 0, Results 2, Maturity 0, Exemplar 0');
      expect(await page.locator('table[data-figure="ambassador-delivery"] tbody tr').count()).toBe(2);
      await levelsChart.scrollIntoViewIfNeeded();
      await screenshot(page, platform.artifactsDir, 'dashboard-workflows');

      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Quince (Wave W)' });
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/partnershipId=/);
      expect(await page.locator('table[data-figure="ambassador-delivery"] tbody tr').count()).toBe(1);
      expect(await page.locator('table[data-figure="ambassador-delivery"] [data-column="ambassadorsWanted"]').textContent()).toBe('1');
      await expect(
        page
          .locator('svg.chart', { has: page.locator('title', { hasText: 'Self-evaluation levels over terms' }) })
          .locator('desc')
          .textContent(),
      ).resolves.not.toContain('Pine');
      await screenshot(page, platform.artifactsDir, 'dashboard-workflows-quince');
    } finally {
      await browser.close();
    }
  });

  it('keeps every figure as the worker worked it out, row for row as working it out now, through a correction and an erasure', async () => {
    const keys: string[] = (await ok('GET', '/api/v1/reports')).items.map((f: { key: string }) => f.key);
    const scopes = ['platform', id.programme];
    const keptAt = async (instant: string) => (await platform.query<{ n: number }>(`SELECT count(*)::int AS n FROM figure_snapshots WHERE computed_at = $1`, [instant]))[0].n;
    /** Moves the clock to the start of a half hour; the worker's run for it keeps every figure of both scopes. */
    const refreshedAt = async (instant: string) => {
      await moveClock(instant);
      await eventually(async () => expect(await keptAt(instant)).toBe(keys.length * scopes.length), 120_000);
    };
    const kept = async (scope: string, key: string) =>
      (await platform.query<{ rows: Array<Record<string, unknown>> }>(`SELECT rows FROM figure_snapshots WHERE scope = $1 AND figure_key = $2`, [scope, key]))[0].rows;
    const keptMatchesLive = async () => {
      for (const scope of scopes)
        for (const key of keys) {
          const live = await rows(key, scope === 'platform' ? '' : `programmeId=${scope}`);
          expect({ scope, key, rows: await kept(scope, key) }).toEqual({ scope, key, rows: live });
        }
    };

    // By 20 March every school has gone 90 days without a CPD record or an event.
    await refreshedAt('2027-03-20T10:30:00Z');
    await keptMatchesLive();
    expect((await kept(id.programme, 'schools-gone-quiet')).map((r) => [r.school, r.educationalLead])).toEqual([
      ['Ash School', 'Pia Lead'],
      ['Birch School', 'Pia Lead'],
      ['Cedar School', 'Quin Lead'],
    ]);

    // A correction shows in the kept figure at the next run, not before.
    await ok('POST', `/api/v1/schools/${id.birch}/status`, { status: 'less_active', reason: 'Nothing since the autumn term' });
    expect(pick(await kept(id.programme, 'schools-by-status'), { partnership: 'Pine' })).toEqual([{ cohort: 'Wave W', partnership: 'Pine', status: 'joined', schools: 2 }]);
    expect(pick(await rows('schools-by-status'), { partnership: 'Pine' })).toEqual([
      { cohort: 'Wave W', partnership: 'Pine', status: 'joined', schools: 1 },
      { cohort: 'Wave W', partnership: 'Pine', status: 'less_active', schools: 1 },
    ]);

    // Erasing a person drops every kept figure at once, and the next run keeps none with their name.
    const [pia] = await platform.query<{ id: string }>(`SELECT id FROM people WHERE name = 'Pia Lead'`);
    const erased = await ok('POST', `/api/v1/people/${pia.id}/erase`);
    expect(await platform.count('figure_snapshots')).toBe(0);
    await refreshedAt('2027-03-20T11:00:00Z');
    await keptMatchesLive();
    expect(await platform.query(`SELECT scope, figure_key FROM figure_snapshots WHERE rows::text LIKE '%Pia Lead%'`)).toEqual([]);
    expect((await kept(id.programme, 'schools-gone-quiet')).filter((r) => r.educationalLead === erased.pseudonym)).toHaveLength(2);

    // Read from the snapshots, as a national programme's slow figures are, each says when it was worked out.
    await platform.kill(platform.api!, 'SIGTERM');
    await platform.startApi({ REPORT_LIVE_UNDER_MS: '0' });
    const answer = await ok('GET', `/api/v1/reports/schools-by-status?programmeId=${id.programme}`);
    expect({ source: answer.source, computedAt: answer.computedAt }).toEqual({ source: 'snapshot', computedAt: '2027-03-20T11:00:00.000Z' });
    const narrowed = await ok('GET', `/api/v1/reports/schools-by-status?partnershipId=${id.pine}`);
    expect(narrowed.source).toBe('live');
    const browser = await launchBrowser();
    try {
      const page = await signInAsPriya(browser, 2);
      await page.getByRole('heading', { name: 'Programme figures' }).waitFor();
      await expect(
        page.getByText('Over a whole programme these figures take a while to work out, so this page shows them as they were last worked out, every 30 minutes; each says when.').count(),
      ).resolves.toBe(1);
      const asAt = page.locator('#figure-schools-gone-quiet').getByText('As at 20 March 2027 at 11am.');
      await asAt.waitFor();
      await expect(page.getByText('As at 20 March 2027 at 11am.').count()).resolves.toBe(keys.length);
      await expect(page.locator('table[data-figure="schools-by-status"] tbody tr', { hasText: /less.active/i }).count()).resolves.toBe(1);
      await asAt.scrollIntoViewIfNeeded();
      await screenshot(page, platform.artifactsDir, 'dashboard-kept-figures');
      await page.setViewportSize({ width: 390, height: 900 });
      await asAt.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${platform.artifactsDir}/dashboard-kept-figures-phone.png` });
      await page.setViewportSize({ width: 1280, height: 900 });
      await expectAccessible(page);

      // A national figure's rows are not all read for the page: it shows the first 50 of those kept.
      await platform.query(
        `UPDATE figure_snapshots SET row_count = 2500, rows = (SELECT jsonb_agg(jsonb_build_object('cohort', 'Wave W', 'phase', 'phase ' || n)) FROM generate_series(1, 2500) n),
                head = (SELECT jsonb_agg(jsonb_build_object('cohort', 'Wave W', 'phase', 'phase ' || n)) FROM generate_series(1, 100) n)
          WHERE scope = $1 AND figure_key = 'participation-by-phase'`,
        [id.programme],
      );
      await page.reload();
      const national = page.locator('#figure-participation-by-phase');
      await national.getByText('This figure has 2,500 rows, too many to draw as a chart. Choose a partnership above to draw it.').waitFor();
      await national.getByText('Show the first 50 of 2,500 rows').click();
      await expect(page.locator('table[data-figure="participation-by-phase"] tbody tr').count()).resolves.toBe(50);
      await national.getByText('(all 2,500 rows)').waitFor();

      // A partnership's figures are few rows each: worked out now, with no "as at".
      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Pine (Wave W)' });
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/partnershipId=/);
      await expect(page.getByText(/^As at /).count()).resolves.toBe(0);
      await expect(page.getByText(/take a while to work out/).count()).resolves.toBe(0);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
