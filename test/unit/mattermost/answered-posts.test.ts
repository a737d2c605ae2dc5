import { describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../../src/app.js';
import { createAnsweredPostStore } from '../../../src/mattermost/answered-posts.js';
import { openDatabase } from '../../../src/storage/database.js';

describe('answered posts (SQLite)', () => {
  const store = () => createAnsweredPostStore(openDatabase({ file: ':memory:', migrations: ALL_MIGRATIONS }));

  it('lets one caller claim a post; an answered post is never claimed again', () => {
    const posts = store();
    expect(posts.claim('p1', 'c', 1000)).toBe(true);
    expect(posts.claim('p1', 'c', 1001)).toBe(false);
    posts.complete('p1', 1002);
    expect(posts.isAnswered('p1')).toBe(true);
    expect(posts.claim('p1', 'c', 10 * 60 * 1000 + 5000)).toBe(false);
  });

  it('gives a released claim back, and takes over a claim left pending by a dead process', () => {
    const posts = store();
    posts.claim('p1', 'c', 0);
    posts.release('p1');
    expect(posts.claim('p1', 'c', 1)).toBe(true);
    expect(posts.claim('p1', 'c', 2)).toBe(false);
    expect(posts.claim('p1', 'c', 6 * 60 * 1000)).toBe(true);
  });

  it('keeps the cursor and prunes old ids', () => {
    const posts = store();
    expect(posts.cursor()).toBeUndefined();
    posts.setCursor(1234);
    expect(posts.cursor()).toBe(1234);
    posts.claim('old', 'c', 0);
    posts.complete('old', 0);
    expect(posts.prune(31 * 24 * 60 * 60 * 1000)).toBe(1);
  });
});
