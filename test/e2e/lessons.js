#!/usr/bin/env node
/* global document -- used inside page.evaluate callbacks, which run in the browser */
/**
 * End-to-end test of the Lessons (teacher review) UI against the real services in Chromium, serve
 * mode: profile -> import a MusicXML score -> import a .mid lesson with known mistakes against it ->
 * review (verdict colours, counts, piano roll, plots) -> comment on a bar, survives a reload ->
 * export the report (a real download) and the bundle, re-import the bundle -> delete.
 * Screenshots go to artifacts/e2e/ (UPDATE_SCREENSHOTS=1 also copies the key ones to docs/screenshots).
 * Assumes `npm run build` ran. Prints `e2e lessons: N passed, M failed`; exit code 1 on any failure.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARTIFACTS, assert, assertEqual, CHROMIUM, check, DOC_SHOTS, launchChromium, repoRoot, shot, tally } from './harness.js';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { callApi, startServer } from './server.js';
import { performanceWithMistakes } from './performance.js';

const TOKEN = 'e2e-lessons-token';
const SCORE_FILE = resolve(repoRoot, '../shared/data/partitura_testdata/musicxml/mozart_k265_var1.musicxml');


/** A mono 16-bit PCM WAV of a slow C-major scale (sine tones), long enough for the job to be seen running. */
function scaleWav(seconds, sampleRate = 16000) {
  const samples = Math.round(seconds * sampleRate);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0);
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVEfmt ', 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36);
  buffer.writeUInt32LE(samples * 2, 40);
  const scale = [60, 62, 64, 65, 67, 69, 71, 72];
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRate;
    const pitch = scale[Math.floor(t / 0.5) % scale.length];
    const freq = 440 * 2 ** ((pitch - 69) / 12);
    const envelope = Math.exp(-3 * (t % 0.5));
    buffer.writeInt16LE(Math.round(12000 * envelope * Math.sin(2 * Math.PI * freq * t)), 44 + i * 2);
  }
  return buffer;
}

/** A mono 16-bit WAV of performed notes as decaying sines: a recording whose note times are known exactly. */
function notesWav(notes, sampleRate = 16000) {
  const end = Math.max(...notes.map((n) => n.offsetSec)) + 0.5;
  const mix = new Float32Array(Math.round(end * sampleRate));
  for (const n of notes) {
    const freq = 440 * 2 ** ((n.pitch - 69) / 12);
    const from = Math.round(n.onsetSec * sampleRate);
    const length = Math.round((n.offsetSec - n.onsetSec + 0.2) * sampleRate);
    for (let i = 0; i < length && from + i < mix.length; i++) mix[from + i] += 0.15 * Math.exp((-3 * i) / sampleRate) * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  }
  const buffer = Buffer.alloc(44 + mix.length * 2);
  buffer.write('RIFF', 0);
  buffer.writeUInt32LE(36 + mix.length * 2, 4);
  buffer.write('WAVEfmt ', 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36);
  buffer.writeUInt32LE(mix.length * 2, 40);
  mix.forEach((v, i) => buffer.writeInt16LE(Math.round(32767 * Math.max(-1, Math.min(1, v))), 44 + i * 2));
  return buffer;
}

/**
 * An audio lesson whose notes are known: a MIDI lesson's bundle with its recording swapped for a
 * WAV of the same notes (the bundle keeps performance and review, so no transcription runs).
 */
function audioBundleFrom(bundleBase64, notes) {
  const files = unzipSync(new Uint8Array(Buffer.from(bundleBase64, 'base64')));
  const manifest = JSON.parse(strFromU8(files['manifest.json']));
  const wav = new Uint8Array(notesWav(notes));
  const sha = createHash('sha256').update(wav).digest('hex');
  files['source/recording'] = wav;
  manifest.lesson = { ...manifest.lesson, title: 'Recorded take', sourceKind: 'audio', sourceFileName: 'recorded-take.wav', sourceSha256: sha };
  manifest.files['source/recording'] = { sha256: sha, bytes: wav.length };
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return Buffer.from(zipSync(files)).toString('base64');
}

/** Element screenshots of the review: the sticky playback bar would be drawn over the middle of the capture. */
async function reviewShot(page, name, options = {}, locator = page.locator('.lesson-review')) {
  // Through the CSSOM: the page's CSP refuses inline <style>.
  const setPosition = (value) => page.evaluate((v) => document.querySelector('.playback-bar')?.style.setProperty('position', v), value);
  await setPosition('static');
  try {
    await shot(page, name, { ...options, locator });
  } finally {
    await setPosition('');
  }
}

/** Waits until the roll's playhead sits at `sec` or up to 1.5 s after it (playback may have moved on). */
function playheadNear(page, sec) {
  return page.waitForFunction((t) => {
    const x = Number(document.querySelector('[data-testid=roll-playhead]')?.getAttribute('data-time'));
    return x >= t - 0.01 && x < t + 1.5;
  }, sec);
}

async function main() {
  for (const [path, why] of [
    [join(repoRoot, 'out/renderer/index.html'), 'run `npm run build` first'],
    [CHROMIUM, 'install chromium or set CHROMIUM_PATH'],
    [SCORE_FILE, 'the test reads it from ../shared/data beside the repo'],
  ]) {
    if (!existsSync(path)) {
      console.error(`e2e lessons cannot run: ${path} is missing (${why})`);
      console.log('e2e lessons: 0 passed, 1 failed');
      process.exit(1);
    }
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOC_SHOTS, { recursive: true });
  let server = null;
  let browser = null;
  const pageErrors = [];
  try {
    await check('serve mode starts', async () => {
      server = await startServer({ repoRoot, token: TOKEN });
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => void d.accept());
    page.setDefaultTimeout(20_000);

    let piece = null;
    await check('create a profile and import the score', async () => {
      await page.goto(server.url);
      await page.getByLabel('New profile').fill('Lesson Student');
      await page.getByRole('button', { name: 'Create profile' }).click();
      await page.getByTestId('current-profile').filter({ hasText: 'Lesson Student' }).waitFor();
      await page.getByRole('button', { name: 'Library' }).click();
      await page.locator('#import-file').setInputFiles(SCORE_FILE);
      await page.getByText('Imported “').waitFor();
      piece = (await callApi(server.url, TOKEN, 'library.list', {})).find((p) => p.origin === 'import');
      assert(piece, 'the imported piece is not in library.list');
    });

    const { score } = await callApi(server.url, TOKEN, 'library.getScore', { pieceId: piece.id });
    const perf = performanceWithMistakes(score);

    await check('the Lessons page is empty and says what to import', async () => {
      await page.getByRole('button', { name: 'Lessons' }).click();
      await page.getByRole('heading', { name: 'Lessons' }).waitFor();
      await page.getByText('No lessons yet').waitFor();
    });

    await check('an unsupported file and a broken .mid give clear error banners', async () => {
      await page.locator('#lesson-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not music') });
      let banner = page.getByRole('alert');
      await banner.waitFor();
      let text = await banner.innerText();
      assert(/Could not import notes\.txt/.test(text) && /\(UNSUPPORTED\)/.test(text), `unclear banner: ${text}`);
      await banner.getByRole('button', { name: 'Dismiss error' }).click();
      await page.locator('#lesson-file').setInputFiles({ name: 'broken.mid', mimeType: 'audio/midi', buffer: Buffer.from('MThd but not really') });
      banner = page.getByRole('alert');
      await banner.waitFor();
      text = await banner.innerText();
      assert(/Could not import broken\.mid/.test(text) && /\(PARSE_ERROR\)/.test(text), `unclear banner: ${text}`);
      await shot(page, 'lessons-import-error');
      await banner.getByRole('button', { name: 'Dismiss error' }).click();
      assertEqual((await callApi(server.url, TOKEN, 'lessons.list', {})).length, 0, 'lessons stored after failed imports');
    });

    await check('import a .mid lesson against the score: listed as ready with its accuracy', async () => {
      await page.getByTestId('lesson-score').selectOption(String(piece.id));
      await page.locator('#lesson-file').setInputFiles({ name: 'lesson-take.mid', mimeType: 'audio/midi', buffer: perf.bytes });
      await page.getByText('Imported “').waitFor();
      const row = page.getByTestId('lesson-row').first();
      await row.waitFor();
      const text = await row.innerText();
      assert(/Ready/.test(text) && /MIDI/.test(text) && text.includes(piece.title) && /\d+(\.\d)? %/.test(text), `row: ${text}`);
      await shot(page, 'lessons-list', { doc: true });
    });

    await check('open the review: counts match the injected mistakes', async () => {
      await page.getByTestId('lesson-row').first().getByRole('button').first().click();
      await page.getByTestId('lesson-summary').waitFor();
      const n = async (id) => Number(await page.getByTestId(id).innerText());
      const shown = { correct: await n('result-correct'), wrong: await n('result-wrong'), missed: await n('result-missed'), extra: await n('result-extra') };
      assertEqual(JSON.stringify(shown), JSON.stringify(perf.expected), 'review counts');
    });

    await check('the score is drawn with the verdict colours of the mistakes', async () => {
      await page.locator('.attempt-score .sn-note.sn-wrong').first().waitFor();
      const ids = await page.evaluate(() => {
        const of = (cls) => [...new Set([...document.querySelectorAll(`.attempt-score .sn-note.${cls}`)].map((e) => e.dataset.noteId))].sort();
        return { wrong: of('sn-wrong'), missed: of('sn-missed'), correct: of('sn-correct').length };
      });
      assertEqual(ids.wrong.join(','), [...perf.wrongIds].sort().join(','), 'red notes');
      assertEqual(ids.missed.join(','), [...perf.missedIds].sort().join(','), 'grey notes');
      assert(ids.correct > 100, `only ${ids.correct} green notes`);
      await shot(page, 'lessons-review', { doc: true });
    });

    await check('the piano roll and the plots show the take', async () => {
      const roll = await page.evaluate(() => ({
        wrong: document.querySelectorAll('.roll-played.roll-wrong').length,
        extra: document.querySelectorAll('.roll-played.roll-extra').length,
        missed: document.querySelectorAll('.roll-score.roll-missed').length,
        scoreNotes: document.querySelectorAll('.roll-score').length,
        tempoPoints: document.querySelectorAll('[data-testid=tempo-plot] .plot-point').length,
        timingDots: document.querySelectorAll('[data-testid=timing-plot] .plot-dot').length,
        feedback: document.querySelectorAll('[data-testid=feedback] li').length,
      }));
      assertEqual(roll.wrong, perf.expected.wrong, 'filled red notes in the roll');
      assertEqual(roll.extra, perf.expected.extra, 'extra notes in the roll');
      assertEqual(roll.missed, perf.expected.missed, 'missed outlines in the roll');
      assertEqual(roll.scoreNotes, score.notes.length, 'score outlines in the roll');
      assert(roll.tempoPoints > score.measures.length / 2, `tempo plot has ${roll.tempoPoints} bars of ${score.measures.length}`);
      assert(roll.timingDots >= perf.expected.correct, `timing plot has ${roll.timingDots} dots`);
      assert(roll.feedback > 0, 'no feedback items');
      await page.getByTestId('piano-roll').scrollIntoViewIfNeeded();
      await reviewShot(page, 'lessons-roll', { doc: true });
      await page.getByTestId('tempo-plot').scrollIntoViewIfNeeded();
      await shot(page, 'lessons-plots', { doc: true });
    });

    const comment = 'Let the left hand breathe, the melody leads';
    await check('a comment on a bar is listed and still there after a reload', async () => {
      await page.getByTestId('annotation-bar').selectOption({ label: '5' });
      await page.getByTestId('annotation-text').fill(comment);
      await page.getByRole('button', { name: 'Add comment' }).click();
      await page.getByTestId('annotation').filter({ hasText: comment }).waitFor();
      await page.reload();
      const item = page.getByTestId('annotation').filter({ hasText: comment });
      await item.waitFor();
      assert(/Bar 5/.test(await item.innerText()), `comment not anchored to bar 5: ${await item.innerText()}`);
      await item.scrollIntoViewIfNeeded();
      await shot(page, 'lessons-comments');
    });

    await check('export the HTML report: a download with the comment and the counts', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (HTML)' }).click()]);
      assert(/\.html$/.test(download.suggestedFilename()), `report file name ${download.suggestedFilename()}`);
      const path = join(ARTIFACTS, 'lessons-report.html');
      await download.saveAs(path);
      const html = readFileSync(path, 'utf8');
      assert(html.includes(comment), 'the comment is not in the report');
      assert(!/<script/i.test(html), 'the report has a script');
      await page.getByText(`Saved ${download.suggestedFilename()}`).waitFor();
    });

    await check('export the performance as MIDI: a .mid download', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Performance (MIDI)' }).click()]);
      assert(/\.mid$/.test(download.suggestedFilename()), `MIDI file name ${download.suggestedFilename()}`);
      const path = join(ARTIFACTS, 'lessons-performance.mid');
      await download.saveAs(path);
      const bytes = readFileSync(path);
      assertEqual(bytes.subarray(0, 4).toString('latin1'), 'MThd', 'MIDI header');
    }, { soft: true });

    await check('export the bundle and import it back: a second lesson with the comment', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lesson bundle' }).click()]);
      const path = join(ARTIFACTS, download.suggestedFilename());
      await download.saveAs(path);
      await page.getByRole('button', { name: '← All lessons' }).click();
      await page.locator('#lesson-bundle-file').setInputFiles(path);
      await page.getByText('Imported “').waitFor();
      await page.getByTestId('lesson-row').nth(1).waitFor();
      const lessons = await callApi(server.url, TOKEN, 'lessons.list', {});
      assertEqual(lessons.length, 2, 'lessons after the bundle import');
      const copy = await callApi(server.url, TOKEN, 'lessons.get', { lessonId: Math.max(...lessons.map((l) => l.id)) });
      assert(copy.annotations.some((a) => a.text === comment), 'the bundle lost the comment');
    }, { soft: true });

    await check('the bundle copy: detach the score (nothing graded), attach it again (same counts), delete its comment', async () => {
      await page.getByTestId('lesson-row').first().getByRole('button').first().click();
      await page.getByTestId('lesson-summary').waitFor();
      await page.getByTestId('attach-score').selectOption('');
      await page.getByRole('button', { name: 'Detach' }).click();
      await page.getByText('No score is attached').waitFor();
      await page.getByTestId('attach-score').selectOption({ label: piece.title });
      await page.getByRole('button', { name: 'Attach' }).click();
      await page.getByTestId('lesson-summary').waitFor();
      assertEqual(Number(await page.getByTestId('result-wrong').innerText()), perf.expected.wrong, 'wrong notes after re-attaching');
      await page.locator('.attempt-score .sn-note.sn-wrong').first().waitFor();
      const item = page.getByTestId('annotation').filter({ hasText: comment });
      await item.getByRole('button', { name: /^Delete comment/ }).click();
      await item.waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('lesson-summary').waitFor();
      await page.getByText('No comments yet.').waitFor();
      await page.getByRole('button', { name: '← All lessons' }).click();
    }, { soft: true });

    await check('delete a lesson after confirming', async () => {
      // The list loads asynchronously after navigating back: count only once it is there.
      await page.getByTestId('lesson-row').first().waitFor();
      const before = await page.getByTestId('lesson-row').count();
      await page.getByTestId('lesson-row').first().getByRole('button', { name: /^Delete / }).click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=lesson-row]').length === n - 1, before);
    }, { soft: true });

    let midiLesson = null;
    let audioLesson = null;
    await check('a MIDI take plays through the simple synth: clicking a note (roll or score) moves the playhead and the score cursor there', async () => {
      midiLesson = (await callApi(server.url, TOKEN, 'lessons.list', {})).find((l) => l.pieceId === piece.id && l.sourceKind === 'midi');
      assert(midiLesson, 'no MIDI lesson left to play');
      const detailOf = await callApi(server.url, TOKEN, 'lessons.get', { lessonId: midiLesson.id });
      await page.goto(`${server.url}#/lessons/${midiLesson.id}`);
      await page.getByTestId('lesson-summary').waitFor();
      await page.getByTestId('playback-bar').getByText('Simple synth').waitFor();
      const note = page.locator('.roll-played.roll-correct').nth(40);
      const onset = Number(await note.getAttribute('data-onset'));
      assert(onset > 2, `note 40 starts at ${onset} s`);
      await note.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await note.click({ force: true });
      await playheadNear(page, onset);
      await page.locator('.attempt-score .sn-cursor[visibility=visible]').waitFor({ state: 'attached' });
      // Play runs the clock on from there; Pause holds it.
      const clockSec = async () => {
        const [m, s] = (await page.getByTestId('playback-clock').innerText()).split(' / ')[0].split(':');
        return Number(m) * 60 + Number(s);
      };
      // Clicking the note played its clip; the toggle reads Pause until the clip ends (longer where
      // the AudioContext clock stands still and the wall clock takes over, as after the audio-rig
      // tests on the null sink), and clicking it then would pause the clip, not play on.
      await page.getByTestId('play-toggle').filter({ hasText: 'Play' }).waitFor();
      await page.getByTestId('play-toggle').click();
      const from = await clockSec();
      await page.waitForFunction((t) => {
        const [m, s] = document.querySelector('[data-testid=playback-clock]').textContent.split(' / ')[0].split(':');
        return Number(m) * 60 + Number(s) >= t + 0.5;
      }, from);
      // Space pauses (the page, not a button, has the focus after clicking a note).
      await page.locator('h1#lesson-title').click();
      await page.keyboard.press('Space');
      await page.getByTestId('play-toggle').filter({ hasText: 'Play' }).waitFor();
      const paused = await clockSec();
      await page.waitForTimeout(400);
      assertEqual(await clockSec(), paused, 'clock after pausing');
      await reviewShot(page, 'lessons-playback-roll', { doc: true });
      // A notehead in the score plays the note played for it: the playhead jumps back to its onset.
      const head = page.locator('.attempt-score .sn-note.sn-correct').nth(3);
      const headId = await head.getAttribute('data-note-id');
      const verdict = detailOf.review.evaluation.verdicts.find((v) => v.scoreNoteId === headId);
      const headOnset = detailOf.performance.notes[verdict.performanceIndex].onsetSec;
      // Centred: the sticky playback bar covers the top of the view.
      await head.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await head.click({ force: true });
      await playheadNear(page, headOnset);
    });

    await check('an audio take streams its recording (byte ranges): clicking a note seeks the <audio> element to its onset', async () => {
      const detail = await callApi(server.url, TOKEN, 'lessons.get', { lessonId: midiLesson.id });
      const bundle = await callApi(server.url, TOKEN, 'lessons.exportBundle', { lessonId: midiLesson.id });
      audioLesson = await callApi(server.url, TOKEN, 'lessons.importBundle', { dataBase64: audioBundleFrom(bundle.dataBase64, detail.performance.notes) });
      const media = [];
      const onResponse = (r) => r.url().includes('/media/lessons/') && media.push(r.status());
      page.on('response', onResponse);
      await page.goto(`${server.url}#/lessons/${audioLesson.id}`);
      await page.getByTestId('lesson-summary').waitFor();
      await page.getByTestId('playback-bar').getByText('Recording', { exact: true }).waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid=lesson-audio]')?.readyState ?? 0) >= 1);
      const note = page.locator('.roll-played.roll-correct').nth(60);
      const onset = Number(await note.getAttribute('data-onset'));
      await note.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await note.click({ force: true });
      const currentTime = await page.evaluate(() => document.querySelector('[data-testid=lesson-audio]').currentTime);
      assert(Math.abs(currentTime - onset) < 0.5, `audio at ${currentTime} s after clicking a note at ${onset} s`);
      page.off('response', onResponse);
      assert(media.length > 0 && media.every((s) => s === 200 || s === 206), `recording responses: ${media.join(', ')}`);
      await page.getByTestId('playback-bar').scrollIntoViewIfNeeded();
      await shot(page, 'lessons-playback', { doc: true });
    });

    await check('compare two takes of the score: rolls aligned by bar, one row per bar for both', async () => {
      const second = performanceWithMistakes(score, { wrongCount: 1, missedCount: 6, shiftMs: 60, extra: false });
      await callApi(server.url, TOKEN, 'lessons.import', { profileId: midiLesson.profileId, pieceId: piece.id, fileName: 'second-take.mid', dataBase64: second.bytes.toString('base64') });
      await page.goto(`${server.url}#/lessons/${midiLesson.id}`);
      await page.getByTestId('lesson-summary').waitFor();
      const picker = page.getByTestId('compare-take');
      await picker.selectOption(await picker.locator('option', { hasText: 'second-take' }).getAttribute('value'));
      await page.getByTestId('compare-bars').waitFor();
      assertEqual(await page.getByTestId('compare-bar-row').count(), score.measures.length, 'bar rows in the comparison');
      assertEqual(await page.getByTestId('compare-roll').count(), 2, 'rolls in the comparison');
      const missedB = await page.locator('[data-testid=compare-roll] >> nth=1').locator('.roll-score.roll-missed').count();
      assertEqual(missedB, second.expected.missed, 'missed outlines in take B');
      await page.getByTestId('compare-rolls').scrollIntoViewIfNeeded();
      await reviewShot(page, 'lessons-compare', { doc: true }, page.locator('section[aria-labelledby=compare-title]'));
    });

    await check('export the report as PDF: a PDF download', async () => {
      try {
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.getByRole('button', { name: 'Report (PDF)' }).click()]);
        assert(/\.pdf$/.test(download.suggestedFilename()), `PDF file name ${download.suggestedFilename()}`);
        const path = join(ARTIFACTS, 'lessons-report.pdf');
        await download.saveAs(path);
        assertEqual(readFileSync(path).subarray(0, 5).toString('latin1'), '%PDF-', 'PDF header');
      } finally {
        // The next step imports from the list.
        await page.goto(`${server.url}#/lessons`);
        await page.getByTestId('lesson-row').first().waitFor();
      }
    }, { soft: true });

    await check('an audio lesson transcribes in the background with a progress bar; cancel, retry, delete', async () => {
      await page.getByTestId('lesson-score').selectOption('');
      await page.locator('#lesson-file').setInputFiles({ name: 'long-take.wav', mimeType: 'audio/wav', buffer: scaleWav(90) });
      const row = page.getByTestId('lesson-row').filter({ hasText: 'long-take' });
      await row.locator('progress.lesson-progress').waitFor({ timeout: 30_000 });
      // Pushed lessons.progress events move the bar: wait until it has moved off zero.
      await page.waitForFunction(() => Number(document.querySelector('progress.lesson-progress')?.value ?? 0) > 0.02, null, { timeout: 60_000 });
      await shot(page, 'lessons-progress', { doc: true });
      await row.getByRole('button', { name: 'Cancel' }).click();
      await row.getByText('Cancelled').waitFor();
      await row.getByRole('button', { name: 'Retry' }).click();
      await row.locator('progress.lesson-progress').waitFor();
      await row.getByRole('button', { name: 'Delete long-take' }).click();
      await row.waitFor({ state: 'detached' });
    }, { soft: true });

    await check('a microphone take in the history is sent to lessons and transcribed there; a MIDI take has no such button', async () => {
      // A microphone take needs the PulseAudio rig: link a WAV to a saved attempt the way a finished take does.
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(join(server.dataDir, 'seminote.db'));
      const summary = { correct: 0, wrong: 0, missed: 0, extra: 0, accuracy: 0, meanAbsTimingErrorMs: null, p90AbsTimingErrorMs: null, durationSec: 4, bars: [] };
      const addAttempt = () =>
        Number(db.prepare(`INSERT INTO attempts (profile_id, piece_id, started_at, finished_at, mode, hands, tempo_factor, accuracy, summary_json)
          VALUES (?, ?, ?, ?, 'play-through', 'both', 1, 0, ?)`).run(midiLesson.profileId, piece.id, Date.now() - 4000, Date.now(), JSON.stringify(summary)).lastInsertRowid);
      const micTake = addAttempt();
      const midiTake = addAttempt();
      mkdirSync(join(server.dataDir, 'recordings'), { recursive: true });
      writeFileSync(join(server.dataDir, 'recordings', 'take-e2e.wav'), scaleWav(4, 48000));
      db.prepare('INSERT INTO attempt_recordings (attempt_id, path, sample_rate, frames, created_at) VALUES (?, ?, 48000, ?, ?)').run(micTake, 'recordings/take-e2e.wav', 4 * 48000, Date.now());
      db.close();

      await page.goto(`${server.url}#/progress/attempt/${midiTake}`);
      await page.getByTestId('result').waitFor();
      await page.waitForTimeout(500);
      assertEqual(await page.getByRole('button', { name: 'Send to lessons' }).count(), 0, 'Send to lessons buttons on a MIDI take');

      await page.goto(`${server.url}#/progress/attempt/${micTake}`);
      await page.getByTestId('attempt-recording').waitFor();
      await page.getByRole('button', { name: 'Send to lessons' }).click();
      await page.getByTestId('send-to-lessons').getByText('Sent as lesson').waitFor();
      await shot(page, 'lessons-from-attempt', { locator: page.getByTestId('result') });
      await page.getByRole('button', { name: 'Open Lessons' }).click();
      const row = page.getByTestId('lesson-row').filter({ hasText: '· practice' });
      await row.getByText('Ready').waitFor({ timeout: 60_000 });
      const lesson = (await callApi(server.url, TOKEN, 'lessons.list', {})).find((l) => l.sourceFileName === `attempt-${micTake}.wav`);
      assert(lesson && lesson.pieceId === piece.id && lesson.profileId === midiLesson.profileId && lesson.sourceKind === 'audio', `lesson from the take: ${JSON.stringify(lesson)}`);
      assert(lesson.accuracy !== null, 'the lesson from the take was reviewed against the score');
    }, { soft: true });

    await check('no page errors or CSP violations', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    }, { soft: true });
  } catch {
    if (pageErrors.length) console.log(`  page errors:\n    ${pageErrors.join('\n    ')}`);
    if (server && tally.failed) console.log(`  server output (tail):\n${server.output().split('\n').slice(-15).join('\n')}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
  console.log(`e2e lessons: ${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 || tally.passed === 0 ? 1 : 0;
}

process.on('unhandledRejection', (e) => {
  console.error(e);
  process.exitCode = 1;
});
await main();
