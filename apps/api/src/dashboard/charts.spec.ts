import { drawChart } from './charts.js';

describe('bar charts', () => {
  it('stacks a row’s series end to end, the longest row across the plot, and says every value in words', () => {
    const chart = drawChart('chart-budget', {
      title: 'Budget',
      mode: 'stacked',
      series: ['Spent', 'Available'],
      rows: [
        { label: 'Alder', values: [300, 900] },
        { label: 'Birch', values: [0, 600] },
      ],
    });
    const alder = chart.bars.filter((b) => b.text.startsWith('Alder'));
    expect(alder.map((b) => b.pattern)).toEqual(['chart-budget-p0', 'chart-budget-p1']);
    expect(alder[1].x).toBeCloseTo(alder[0].x + alder[0].width);
    // The longest row fills the plot; a zero draws no bar.
    const plot = chart.width - chart.bars[0].x - 70;
    expect(alder[0].width + alder[1].width).toBeCloseTo(plot);
    expect(chart.bars.filter((b) => b.text.startsWith('Birch'))).toHaveLength(1);
    expect(chart.values.map((v) => v.text)).toEqual(['300 / 900', '0 / 600']);
    expect(chart.legend.map((l) => l.text)).toEqual(['Spent', 'Available']);
    expect(chart.description).toBe('Alder: Spent 300, Available 900; Birch: Spent 0, Available 600');
    expect(chart.patterns.map((p) => p.kind)).toEqual(['solid', 'diagonal']);
  });

  it('puts grouped series side by side, a zero still a sliver, and shortens a long label', () => {
    const long = 'A partnership whose name goes on for far longer than any chart label could show';
    const chart = drawChart('c', { title: 'Delivery', mode: 'grouped', series: ['Wanted', 'Delivered'], format: (v) => `${v}%`, rows: [{ label: long, values: [4, 0] }] });
    expect(chart.bars.map((b) => [b.y, b.width > 0])).toEqual([
      [chart.bars[0].y, true],
      [chart.bars[0].y + 18, true],
    ]);
    expect(chart.values.map((v) => v.text)).toEqual(['4%', '0%']);
    expect(chart.labels[0].text).toHaveLength(48);
    expect(chart.labels[0].text.endsWith('…')).toBe(true);
  });
});
