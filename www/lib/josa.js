// Korean particles (josa) chosen from the word actually inserted before them. Templates in the
// Korean locale files write a particle pair as a token right after the text it attaches to —
// "{broker}번 브로커{가/이}" is wrong, "/brokers/ids/{broker}{을/를}", "[{isr}]{이/가}",
// "“{value}”{은/는}" are right — and resolve() picks the form after the inserted value, so
// "/brokers/ids/1을", "/brokers/ids/2를", "[3]이", "“abc”는". The choice is es-hangul's `josa.pick`
// (served as www/vendor/es-hangul.mjs, copied there by scripts/build.sh); this file only says how
// the last word before the token is *read* in Korean when it is not written in Hangul: numbers as
// they are read (1 일 → 을/이, 2 이 → 를/가, 10,000 만 → 을/이, 2.5 → the last digit 오), Latin letters by
// their Korean names (ISR → 알 → 을, ms → 에스 → 를), closing brackets, quotes and markup skipped.
import { josa, numberToHangul } from '../vendor/es-hangul.mjs';

/** The particle pairs es-hangul knows, as they are written in the templates. */
export const PAIRS = ['이/가', '을/를', '은/는', '와/과', '으로/로', '이나/나', '이란/란', '이라/라', '이랑/랑', '이에요/예요', '으로서/로서', '으로써/로써', '으로부터/로부터'];
const TOKEN = new RegExp(`\\{(${PAIRS.join('|')})\\}`, 'g');

// Latin letters as Korean reads them: only the last one matters (l m n r end in a consonant).
const LETTER = {
  a: '에이', b: '비', c: '씨', d: '디', e: '이', f: '에프', g: '지', h: '에이치', i: '아이', j: '제이', k: '케이', l: '엘', m: '엠',
  n: '엔', o: '오', p: '피', q: '큐', r: '알', s: '에스', t: '티', u: '유', v: '브이', w: '더블유', x: '엑스', y: '와이', z: '지',
};
const DIGIT = ['영', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];
const SYMBOL = { '%': '퍼센트', '×': '배', '+': '플러스', '#': '샵' };

/** How the end of `text` (plain text or markup) is read in Korean: a word whose last syllable decides the particle, or null. */
export function reading(text) {
  let s = String(text).replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"' }[e]));
  // A parenthesis is an aside: the particle follows the word before it, "브로커(1)가".
  s = s.replace(/\s*\([^()]*\)\s*$/, '');
  // Closing brackets and quotes do not change the reading: "[3]이", "“abc”는".
  s = s.replace(/[\s)\]}”’"'»」』〉》›]+$/u, '');
  if (!s) return null;
  const last = s[s.length - 1];
  if (/[\uAC00-\uD7A3]/.test(last)) return last;
  const num = s.match(/(\d[\d,]*)(?:\.(\d+))?$/);
  if (num) {
    if (num[2]) return DIGIT[Number(num[2].slice(-1))];
    const n = Number(num[1].replace(/,/g, ''));
    if (!Number.isSafeInteger(n)) return DIGIT[Number(num[1].slice(-1))];
    return n === 0 ? '영' : numberToHangul(n);
  }
  if (/[a-z]/i.test(last)) return LETTER[last.toLowerCase()];
  return SYMBOL[last] ?? null;
}

/** The form of `pair` ("이/가") that follows `before`; without a reading, both forms as Korean writes them ("이(가)"). */
export function pick(before, pair) {
  const word = reading(before);
  if (word) return josa.pick(word, pair);
  const [a, b] = pair.split('/');
  return `${a}(${b})`;
}

/** Replaces every particle token in `s` with the form the text before it takes. */
export function resolve(s) {
  if (!s.includes('{')) return s;
  let out = '';
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    out += s.slice(last, m.index);
    out += pick(out, m[1]);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}
