import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { QueryEditorSelectors as s } from '../../selectors';
import { withSizedElements } from '../../testing/jsdomStubs';
import { BaselineField, KeepAllGroupsField, MinCountField, validateBaseline, validateMinCount } from './OptionFields';

describe('validateMinCount', () => {
  it('accepts empty, zero and whole numbers on a grouped query', () => {
    expect(validateMinCount(undefined, false)).toBeUndefined();
    expect(validateMinCount(0, false)).toBeUndefined();
    expect(validateMinCount(21, true)).toBeUndefined();
  });
  it('refuses what the backend refuses', () => {
    expect(validateMinCount(-1, true)).toMatch(/whole number/);
    expect(validateMinCount(2.5, true)).toMatch(/whole number/);
    expect(validateMinCount(5, false)).toMatch(/Group by/);
  });
});

describe('KeepAllGroupsField', () => {
  it('sets true when switched on and clears the key when switched off', () => {
    const onChange = jest.fn();
    const { rerender } = render(<KeepAllGroupsField value={undefined} onChange={onChange} />);
    fireEvent.click(document.getElementById(s.keepAllGroups.id)!);
    expect(onChange).toHaveBeenLastCalledWith(true);
    rerender(<KeepAllGroupsField value={true} onChange={onChange} />);
    fireEvent.click(document.getElementById(s.keepAllGroups.id)!);
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});

describe('MinCountField', () => {
  it('reads a number and shows the error for an ungrouped query', () => {
    const onChange = jest.fn();
    render(<MinCountField value={5} grouped={false} onChange={onChange} onBlur={() => {}} />);
    expect(screen.getByText(/set Group by/)).toBeInTheDocument();
    fireEvent.change(document.getElementById(s.minCount.id)!, { target: { value: '21' } });
    expect(onChange).toHaveBeenLastCalledWith(21);
  });
});

describe('validateBaseline', () => {
  it('accepts off, and band or score on an ungrouped count', () => {
    expect(validateBaseline(undefined, true)).toBeUndefined();
    expect(validateBaseline('', true)).toBeUndefined();
    expect(validateBaseline('band', false)).toBeUndefined();
    expect(validateBaseline('score', false)).toBeUndefined();
  });
  it('refuses what the backend refuses', () => {
    expect(validateBaseline('band', true)).toBe('Baseline needs one series: clear Group by.');
    expect(validateBaseline('score', true)).toMatch(/clear Group by/);
    expect(validateBaseline('weekly', false)).toMatch(/Band or Score only/);
  });
});

describe('BaselineField', () => {
  withSizedElements();

  const choose = async (label: string) => {
    fireEvent.click(document.getElementById(s.baseline.id)!);
    fireEvent.click(await screen.findByRole('option', { name: new RegExp(`^${label}`) }));
  };

  it('sets band when Band is chosen', async () => {
    const onChange = jest.fn();
    render(<BaselineField value={undefined} grouped={false} onChange={onChange} />);
    await choose(s.baseline.options.band.label);
    expect(onChange).toHaveBeenLastCalledWith('band');
  });

  it('clears the key when Off is chosen', async () => {
    const onChange = jest.fn();
    render(<BaselineField value="score" grouped={false} onChange={onChange} />);
    expect(document.getElementById(s.baseline.id)).toHaveValue(s.baseline.options.score.label);
    await choose(s.baseline.options.off.label);
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it('shows the error on a grouped query', () => {
    render(<BaselineField value="band" grouped onChange={() => {}} />);
    expect(screen.getByText('Baseline needs one series: clear Group by.')).toBeInTheDocument();
  });

  it('shows no error when off, even grouped', () => {
    render(<BaselineField value={undefined} grouped onChange={() => {}} />);
    expect(screen.queryByText(/clear Group by/)).not.toBeInTheDocument();
  });
});
