import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definition, descriptors } from '../test/fixtures';
import { PropertyPanel } from './PropertyPanel';

afterEach(cleanup);

describe('PropertyPanel', () => {
  const copy = definition().activities[1];

  it('puts each problem under its input, whether named by the studio or by the server path', () => {
    render(<PropertyPanel activity={copy} descriptor={descriptors[1]} scope={[]} readOnly={false} onChange={() => {}}
      problems={[{ activityId: 'copy', path: 'inputs.source', message: 'server says no' }, { activityId: 'copy', path: 'bandwidth', message: 'too fast' }, { activityId: 'copy', path: 'connections[0]', message: 'general' }]} />);
    expect(screen.getByTestId('input-source-error').textContent).toBe('server says no');
    expect(screen.getByTestId('input-bandwidth-error').textContent).toBe('too fast');
    expect(screen.getByText('general')).toBeTruthy();
  });

  it('removes an input from the activity when its field is emptied, and groups keystrokes by field', () => {
    const onChange = vi.fn();
    render(<PropertyPanel activity={copy} descriptor={descriptors[1]} scope={[]} readOnly={false} onChange={onChange} problems={[]} />);
    fireEvent.change(screen.getByTestId('input-bandwidth'), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ inputs: { source: '{{ steps.snapshot.snapshotPath }}' } }, 'copy/input/bandwidth');
  });

  it('disables every field for read-only keys', () => {
    render(<PropertyPanel activity={copy} descriptor={descriptors[1]} scope={[]} readOnly onChange={() => {}} problems={[]} />);
    expect((screen.getByTestId('input-bandwidth') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('prop-displayName') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('input-source-mode') as HTMLButtonElement).disabled).toBe(true);
  });
});
