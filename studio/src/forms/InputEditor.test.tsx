import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScopeEntry } from '../graph/scope';
import { InputEditor } from './InputEditor';

const scope: ScopeEntry[] = [
  { expression: 'input.vm', type: 'string', source: 'input' },
  { expression: 'steps.snapshot.snapshotPath', type: 'string', source: 'step' },
];
const int = { name: 'bandwidth', type: 'int', required: false, sensitive: false };

afterEach(cleanup);

describe('InputEditor', () => {
  it('commits parsed ints and keeps text that is not one as typed, with its error', () => {
    let value: unknown;
    const onChange = vi.fn((v: unknown) => { value = v; });
    const { rerender } = render(<InputEditor input={int} value={value} scope={scope} onChange={onChange} />);
    const field = screen.getByTestId('input-bandwidth') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '250' } });
    expect(onChange).toHaveBeenLastCalledWith(250);
    // Not a whole number: the text goes into the definition (validation and the server report it), not dropped.
    fireEvent.change(field, { target: { value: '2.5' } });
    expect(onChange).toHaveBeenLastCalledWith('2.5');
    rerender(<InputEditor input={int} value={value} scope={scope} onChange={onChange} />);
    expect(field.value).toBe('2.5');
    expect(screen.getByTestId('input-bandwidth-parse-error').textContent).toBe('Enter a whole number.');
  });

  it('reads the server\'s JSON type names', () => {
    const onChange = vi.fn();
    render(<>
      <InputEditor input={{ name: 'seconds', type: 'number', required: false, sensitive: false }} value={undefined} scope={[]} onChange={onChange} />
      <InputEditor input={{ name: 'full', type: 'boolean', required: false, sensitive: false }} value={undefined} scope={[]} onChange={onChange} />
    </>);
    fireEvent.change(screen.getByTestId('input-seconds'), { target: { value: '1.5' } });
    expect(onChange).toHaveBeenLastCalledWith(1.5);
    fireEvent.change(screen.getByTestId('input-seconds'), { target: { value: 'ten' } });
    expect(onChange).toHaveBeenLastCalledWith('ten');
    expect(screen.getByTestId('input-seconds-parse-error').textContent).toBe('Enter a number.');
    expect(screen.getByTestId('input-full').tagName).toBe('SELECT');
  });

  it('edits string[] one item per line and bools as a tri-state select', () => {
    const onChange = vi.fn();
    render(<>
      <InputEditor input={{ name: 'disks', type: 'string[]', required: true, sensitive: false }} value={['vda']} scope={[]} onChange={onChange} />
      <InputEditor input={{ name: 'quiesce', type: 'bool', required: false, sensitive: false, default: true }} value={undefined} scope={[]} onChange={onChange} />
    </>);
    expect((screen.getByTestId('input-disks') as HTMLTextAreaElement).value).toBe('vda');
    fireEvent.change(screen.getByTestId('input-disks'), { target: { value: 'vda\nvdb\n' } });
    expect(onChange).toHaveBeenLastCalledWith(['vda', 'vdb']);
    fireEvent.change(screen.getByTestId('input-quiesce'), { target: { value: 'false' } });
    expect(onChange).toHaveBeenLastCalledWith(false);
    expect(screen.getByTestId('input-quiesce').textContent).toContain('default: true');
  });

  it('masks sensitive literals', () => {
    render(<InputEditor input={{ name: 'password', type: 'string', required: false, sensitive: true }} value="s3cret" scope={[]} onChange={() => {}} />);
    expect((screen.getByTestId('input-password') as HTMLInputElement).type).toBe('password');
  });

  it('switches to a binding and completes what is in scope', () => {
    let value: unknown = 5;
    const onChange = vi.fn((v: unknown) => { value = v; });
    const { rerender } = render(<InputEditor input={int} value={value} scope={scope} onChange={onChange} />);
    fireEvent.click(screen.getByTestId('input-bandwidth-mode'));
    expect(onChange).toHaveBeenLastCalledWith(undefined);
    rerender(<InputEditor input={int} value={value} scope={scope} onChange={onChange} />);
    const field = screen.getByTestId('input-bandwidth') as HTMLInputElement;
    fireEvent.focus(field);
    fireEvent.change(field, { target: { value: '{{ steps', selectionStart: 8 } });
    rerender(<InputEditor input={int} value={value} scope={scope} onChange={onChange} />);
    const items = screen.getAllByRole('option').map((o) => o.getAttribute('data-testid'));
    expect(items).toEqual(['completion-steps.snapshot.snapshotPath']);
    fireEvent.mouseDown(screen.getByTestId('completion-steps.snapshot.snapshotPath'));
    expect(onChange).toHaveBeenLastCalledWith('{{ steps.snapshot.snapshotPath }}');
  });

  it('shows binding syntax errors as they are typed', () => {
    render(<InputEditor input={int} value="{{ input.vm" scope={scope} onChange={() => {}} />);
    expect(screen.getByText('"{{" is not closed with "}}".')).toBeTruthy();
  });
});
