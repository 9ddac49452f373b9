import type { Framework, FrameworkGroup } from './frameworks.js';

/**
 * The built-in frameworks: the structure (codes, names, levels) of shared/frameworks.json,
 * from the seeds 000_8c0eceec8b4e6747.txt (IRIS), 002_4732e8eb9c668dac.txt (Education
 * Scotland) and 003_def1d3e673f8defb.txt (Aspire to STEM). Descriptor text stays in the
 * seeds; each summary here is the product's own one sentence. Keys are stable: answers
 * and comparisons across terms are matched by them.
 */
type Row = [key: string, code: string | null, name: string, summary: string];
const group = (code: string | null, name: string, rows: Row[]): FrameworkGroup => ({
  code,
  name,
  elements: rows.map(([key, elementCode, elementName, summary]) => ({ key, code: elementCode, name: elementName, summary })),
});

const IRIS: Framework = {
  key: 'iris-ri',
  name: 'STEM Research & Innovation Framework',
  publisher: 'IRIS',
  builtIn: true,
  levels: ['Starting out', 'Embedding', 'Established'],
  groups: [
    group('1', 'Leadership, Vision & Culture', [
      ['1.1', '1.1', 'Vision and values', 'How clearly the school states why STEM research and innovation matter to it.'],
      ['1.2', '1.2', 'Leadership', 'Who leads STEM across the school and how much time and authority they have.'],
      ['1.3', '1.3', 'Narrative', 'How the school tells pupils, staff and families the story of its STEM work.'],
      ['1.4', '1.4', 'Practices: Building science capital', "How teaching connects STEM to pupils' own lives, interests and families."],
      ['1.5', '1.5', 'Practices: Self-evaluation', 'How the school reviews its STEM work and acts on what it finds.'],
      ['1.6', '1.6', 'Expertise: CPD', 'How staff keep building their STEM knowledge through professional learning.'],
    ]),
    group('2', 'Research Opportunities & the Curriculum', [
      ['2.1', '2.1', 'Practical STEM', 'How often pupils do hands-on practical and investigative work.'],
      ['2.2', '2.2', 'Real world applications', 'How lessons show where STEM is used outside school.'],
      ['2.3', '2.3', 'Cross curricular', 'How STEM links with other subjects in planned, deliberate ways.'],
      ['2.4', '2.4', 'Research activities', 'How pupils take part in genuine research and enquiry projects.'],
      ['2.5', '2.5', 'Research awards', 'How pupils work towards and gain recognised awards for STEM projects.'],
    ]),
    group('3', 'Careers in Research & Innovation', [
      ['3.1', '3.1', 'STEM careers guidance', 'How pupils get guidance about where STEM can take them.'],
      ['3.2', '3.2', 'STEM careers delivery', 'How careers learning is built into STEM lessons and activities.'],
      ['3.3', '3.3', 'Transferable skills', 'How pupils recognise the skills STEM builds and where they are used.'],
      ['3.4', '3.4', 'Engaging with employers', 'How pupils meet employers and people working in STEM.'],
      ['3.5', '3.5', 'Capitalising on STEM expertise', 'How the school draws on the STEM expertise of staff, families and neighbours.'],
      ['3.6', '3.6', 'Routes into STEM', 'How pupils learn about the different pathways into STEM jobs.'],
      ['3.7', '3.7', 'Planning the career programme', 'How the careers programme is planned, sequenced and reviewed.'],
    ]),
    group('4', 'Community & Collaboration', [
      ['4.1', '4.1', 'Collaborating with other organisations', 'How the school works with other schools and organisations on STEM.'],
      ['4.2', '4.2', 'Partnering with industry and academia', 'How the school builds lasting links with companies and universities.'],
      ['4.3', '4.3', 'Showcasing student work', "How pupils' STEM work is shared beyond the classroom."],
      ['4.4', '4.4', 'Social action', 'How pupils use STEM to make a difference to their community.'],
      ['4.5', '4.5', 'Community engagement', 'How families and the local community take part in STEM activity.'],
    ]),
    group('5', 'Capturing Talent & Removing Barriers', [
      ['5.1', '5.1', 'Informed practice', 'How the school uses evidence about who takes part in STEM and why.'],
      ['5.2', '5.2', 'Structural barriers', 'How the school finds and removes barriers that keep pupils out of STEM.'],
      ['5.3', '5.3', 'Opportunities for all', 'How every pupil gets a fair chance at STEM activities.'],
      ['5.4', '5.4', 'STEM in my context', "How STEM is made relevant to the school's own place and pupils."],
      ['5.5', '5.5', 'Representation in STEM', 'How pupils see people like themselves doing STEM.'],
      ['5.6', '5.6', 'Parity of pathways', 'How academic and technical routes into STEM are valued equally.'],
      ['5.7', '5.7', 'Empowering young people', 'How pupils shape and lead STEM activity themselves.'],
    ]),
  ],
};

const SCOTLAND: Framework = {
  key: 'scotland-stem-sei',
  name: 'STEM self-evaluation and improvement framework (HGIOS4 / HGIOELC)',
  publisher: 'Education Scotland',
  builtIn: true,
  levels: ['Starting the journey', 'Building on achievements', 'Features of highly-effective practice'],
  prompts: ['How well are we doing?', 'How do we know? What evidence do we have?', 'What are we going to do now? Actions required?'],
  groups: [
    group(null, 'Leadership and management', [
      ['qi-1-1-a', 'QI 1.1', 'Collaborative approaches to self-evaluation', 'How staff, learners and partners evaluate STEM together.'],
      ['qi-1-1-b', 'QI 1.1', 'Analysis and evaluation of intelligence and data/ Evidence-based improvement', 'How STEM data and evidence are gathered, analysed and used to improve.'],
      [
        'qi-1-1-c',
        'QI 1.1',
        'Impact on learners’ successes and achievements/ Ensuring impact of success on children and families',
        'How self-evaluation leads to better outcomes for learners and families.',
      ],
      ['qi-1-2-a', 'QI 1.2', 'Professional engagement and collegiate working', 'How staff work together to improve STEM learning.'],
      ['qi-1-2-b', 'QI 1.2', 'Impact of career-long professional learning', 'How professional learning in STEM changes what happens in classrooms.'],
      ['qi-1-2-c', 'QI 1.2', 'Children and young people leading learning', 'How learners take the lead in their own STEM learning.'],
      ['qi-1-3-a', 'QI 1.3', 'Developing a shared vision, values and aims', 'How the community agrees what STEM should achieve for its learners.'],
      ['qi-1-3-b', 'QI 1.3', 'Strategic planning for continuous improvement', 'How STEM is planned for in improvement plans over time.'],
      ['qi-1-3-c', 'QI 1.3', 'Implementing improvement and change', 'How planned STEM changes are carried through and checked.'],
      ['qi-1-5-a', 'QI 1.5', 'Management of resources and environment for learning', 'How spaces, equipment and funding support STEM for all learners.'],
    ]),
    group(null, 'Learning provision', [
      ['qi-2-2-a', 'QI 2.2', 'Rationale and design', 'Why the STEM curriculum is shaped the way it is, and for whom.'],
      ['qi-2-2-b', 'QI 2.2', 'Development of the curriculum', 'How the STEM curriculum is reviewed and kept up to date.'],
      ['qi-2-2-c', 'QI 2.2', 'Learning pathways/ Pedagogy and play', 'How learners progress through STEM, including through play.'],
      ['qi-2-2-d', 'QI 2.2', 'Skills for learning, life and work', 'How STEM learning builds skills for life and work.'],
      ['qi-2-3-a', 'QI 2.3', 'Learning and engagement', 'How engaged and motivated learners are in STEM.'],
      ['qi-2-3-b', 'QI 2.3', 'Quality of teaching/ interactions', 'How well STEM is taught, and the quality of adult–learner interaction.'],
      ['qi-2-3-c', 'QI 2.3', 'Effective use of assessment', 'How assessment in STEM informs next steps for learners.'],
      ['qi-2-3-d', 'QI 2.3', 'Planning, tracking and monitoring', "How learners' STEM progress is planned for and followed."],
      ['qi-2-5-a', 'QI 2.5', 'Engaging families in learning', 'How families are drawn into STEM learning.'],
      ['qi-2-5-b', 'QI 2.5', 'Quality of family learning programmes', 'How well family STEM learning programmes work.'],
      ['qi-2-6-a', 'QI 2.6', 'Arrangements to support learners and their families', 'How learners and families are supported through STEM transitions.'],
      ['qi-2-6-b', 'QI 2.6', 'Collaborative planning and delivery', 'How stages and settings plan STEM transitions together.'],
      ['qi-2-6-c', 'QI 2.6', 'Continuity and progression in learning', 'How STEM learning builds without gaps or repetition across stages.'],
      ['qi-2-7-a', 'QI 2.7', 'The development and promotion of partnerships', 'How STEM partnerships are built and kept going.'],
      ['qi-2-7-b', 'QI 2.7', 'Collaborative learning and improvement', 'How partners learn and improve STEM together.'],
      ['qi-2-7-c', 'QI 2.7', 'Impact on learners/ children and families', 'What partnerships change for learners and their families.'],
    ]),
    group(null, 'Successes and achievements', [
      ['qi-3-1-a', 'QI 3.1', 'Wellbeing', 'How STEM learning supports the wellbeing of learners.'],
      ['qi-3-1-b', 'QI 3.1', 'Inclusion and equality', 'How every learner is included and treated fairly in STEM.'],
      ['qi-3-2', 'QI 3.2', 'Raising attainment and achievement/ Securing children’s progress', 'How well learners attain and progress in STEM.'],
      ['qi-3-3-a', 'QI 3.3', 'Creativity', 'How STEM develops creative thinking.'],
      ['qi-3-3-b', 'QI 3.3', 'Digital innovation and literacy', 'How learners build digital skills and use technology creatively.'],
      ['qi-3-3-c', 'QI 3.3', 'Increasing employability skills', 'How STEM learning prepares learners for work.'],
    ]),
  ],
};

const MATURITY: Framework = {
  key: 'ats-maturity',
  name: 'STEM maturity grid (Aspire to STEM)',
  publisher: 'STEM Learning',
  builtIn: true,
  levels: ['Beginning', 'Early progress', 'Results', 'Maturity', 'Exemplar'],
  groups: [
    group(null, 'STEM maturity', [
      ['subject-leadership', null, 'Quality of subject leadership', 'How well STEM subjects are led, planned and reviewed.'],
      ['collaboration', null, 'Collaboration with other schools', 'How much the school shares STEM work with other schools.'],
      ['stem-teaching', null, 'Quality of STEM teaching', 'How good STEM teaching is across the school.'],
      ['cpd', null, 'CPD for STEM teachers', 'How much STEM professional development staff take part in.'],
      ['careers-education', null, 'STEM careers education', 'How well pupils learn about STEM careers.'],
      ['enrichment', null, 'STEM enrichment', 'How much STEM activity happens beyond lessons.'],
    ]),
  ],
};

/** The baseline's subject rating: each subject × each criterion, on the Ofsted scale (seed scores 1 = Outstanding). */
const SUBJECTS: Array<[string, string]> = [
  ['science', 'Science'],
  ['design-technology', 'Design & Technology'],
  ['maths', 'Maths'],
  ['computer-science', 'Computer Science'],
  ['engineering', 'Engineering'],
];
const CRITERIA: Array<[string, string, string]> = [
  ['quality-of-teaching', 'Quality of teaching', 'How well {subject} is taught.'],
  ['pupil-learning', 'Pupil learning', 'How well pupils learn and progress in {subject}.'],
  ['subject-leading', 'Quality of subject leading', 'How well {subject} is led.'],
  ['careers-education', 'STEM careers education', 'How well {subject} lessons show pupils where the subject can take them.'],
];
const SUBJECT_RATING: Framework = {
  key: 'ats-subject-rating',
  name: 'Subject performance self-assessment (Aspire to STEM baseline)',
  publisher: 'STEM Learning',
  builtIn: true,
  levels: ['Inadequate', 'Requires improvement', 'Good', 'Outstanding'],
  groups: SUBJECTS.map(([slug, subject]) =>
    group(
      null,
      subject,
      CRITERIA.map(([criterion, name, summary]) => [`${slug}/${criterion}`, null, `${subject}: ${name}`, summary.replace('{subject}', subject)]),
    ),
  ),
};

export const BUILT_IN_FRAMEWORKS: readonly Framework[] = [IRIS, SCOTLAND, MATURITY, SUBJECT_RATING];
