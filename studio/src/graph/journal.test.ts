import { describe, expect, it } from 'vitest';
import { descriptors } from '../test/fixtures';
import { maskSecrets } from './journal';

describe('journal masking', () => {
  it('masks sensitive inputs and keeps the rest', () => {
    expect(maskSecrets({ source: '/a', password: 'hunter2', bandwidth: 5 }, descriptors[1])).toEqual({ source: '/a', password: '***', bandwidth: 5 });
  });
  it('copes with missing values and unknown descriptors', () => {
    expect(maskSecrets(undefined, descriptors[1])).toEqual({});
    expect(maskSecrets({ password: 'x' }, undefined)).toEqual({ password: 'x' });
  });
});
