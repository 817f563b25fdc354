import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { QueryEditorSelectors as s } from '../../selectors';
import '../../testing/jsdomStubs';
import { KeepAllGroupsField, MinCountField, validateMinCount } from './OptionFields';

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
