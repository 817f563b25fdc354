/*
 * Browser APIs Grafana's Combobox needs and jsdom lacks. Importing this module installs stand-ins:
 * a canvas context whose measureText estimates a width from the text length (the scaffold's jest
 * setup stubs getContext with a function returning nothing), and an IntersectionObserver that
 * never fires.
 */
HTMLCanvasElement.prototype.getContext = jest.fn(
  () =>
    ({
      measureText: (text: string) => ({ width: text.length * 7 }),
      font: '',
    }) as unknown as CanvasRenderingContext2D
) as unknown as typeof HTMLCanvasElement.prototype.getContext;

class NoopIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

if (!('IntersectionObserver' in window)) {
  Object.assign(window, { IntersectionObserver: NoopIntersectionObserver });
}

/**
 * Gives every element a size for the calling describe block. Grafana's Combobox menu is virtualised:
 * it draws only the options that fit in the list's size, which jsdom reports as 0.
 */
export function withSizedElements(): void {
  const size = ['clientWidth', 'clientHeight'].map(
    (key) => [key, Object.getOwnPropertyDescriptor(Element.prototype, key)] as const
  );
  beforeAll(() => {
    for (const [key] of size) {
      Object.defineProperty(Element.prototype, key, { configurable: true, get: () => 200 });
    }
  });
  afterAll(() => {
    for (const [key, descriptor] of size) {
      Object.defineProperty(Element.prototype, key, descriptor!);
    }
  });
}
