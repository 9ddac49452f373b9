import { Permits } from './permits.js';

const settled = () => new Promise((r) => setImmediate(r));

describe('permits', () => {
  it('grants up to its number at once and the next as one is released', async () => {
    const permits = new Permits(2);
    const order: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => {
      const permit = permits.take();
      void permit.granted.then(() => order.push(name));
      return permit;
    });
    await settled();
    expect(order).toEqual(['a', 'b']);
    expect(permits.held).toBe(2);
    a.release();
    await settled();
    expect(order).toEqual(['a', 'b', 'c']);
    b.release();
    c.release();
    expect(permits.held).toBe(0);
  });

  it('lets a waiter give up without taking a permit from anyone', async () => {
    const permits = new Permits(1);
    const first = permits.take();
    const quitter = permits.take();
    const third = permits.take();
    let thirdGranted = false;
    void third.granted.then(() => (thirdGranted = true));
    quitter.release();
    first.release();
    await settled();
    expect(thirdGranted).toBe(true);
    expect(permits.held).toBe(1);
  });

  it('counts a second release of the same permit once', async () => {
    const permits = new Permits(1);
    const permit = permits.take();
    await permit.granted;
    permit.release();
    permit.release();
    expect(permits.held).toBe(0);
    const [x, y] = [permits.take(), permits.take()];
    await settled();
    expect(permits.held).toBe(1);
    x.release();
    y.release();
  });

  it('refuses a number of permits that is not a whole number from 1', () => {
    expect(() => new Permits(0)).toThrow(RangeError);
    expect(() => new Permits(1.5)).toThrow(RangeError);
  });
});
