/**
 * Name material for the generated customer users, most frequent first (the generator draws ranks
 * Zipf-like, so the head of each list dominates as real name statistics do). German names lead,
 * with Turkish, Nordic, Slavic and Spanish ones mixed in for non-ASCII letters.
 */

export const LAST_NAMES: readonly string[] = [
  'Schmidt', 'Müller', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
  'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier',
  'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber',
  'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Schubert',
  'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Öztürk', 'Jäger', 'Vogel', 'Friedrich', 'Keller',
  'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht',
  'Nowak', 'Kowalski', 'Wiśniewski', 'Dvořák', 'Novák', 'Šimić', 'Horváth', 'Nagy', 'Kovačević', 'Popović',
  'García', 'Fernández', 'López', 'Martínez', 'Núñez', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi',
  'Hansen', 'Johansson', 'Nilsson', 'Ødegård', 'Sørensen', 'Björk', 'Lindström', 'Åberg', 'Virtanen', 'Mäkinen',
  'Dubois', 'Lefèvre', 'Moreau', 'Gonçalves', 'Brandão', 'Smith', 'Jones', 'Brown', "O'Brien", 'Murphy',
];

export const FIRST_NAMES: readonly string[] = [
  'Maria', 'Thomas', 'Anna', 'Michael', 'Andreas', 'Stefan', 'Christian', 'Julia', 'Sabine', 'Peter',
  'Markus', 'Katharina', 'Martin', 'Laura', 'Daniel', 'Sarah', 'Frank', 'Claudia', 'Jürgen', 'Monika',
  'Jörg', 'Uwe', 'Susanne', 'Lena', 'Jan', 'Lukas', 'Leonie', 'Felix', 'Sophie', 'Jonas',
  'Mehmet', 'Ayşe', 'Fatma', 'Emre', 'Özlem', 'Gül', 'Çağla', 'Burak', 'Elif', 'Hüseyin',
  'Søren', 'Bjørn', 'Åsa', 'Kristín', 'Jóhann', 'Łukasz', 'Małgorzata', 'Zoë', 'Chloé', 'Renée',
  'José', 'Inés', 'Raúl', 'Sönke', 'Björn', 'Jens', 'Nils', 'Heike', 'Birgit', 'Ute',
  'Wolfgang', 'Klaus', 'Dieter', 'Günter', 'Helga', 'Ingrid', 'Renate', 'Gisela', 'Horst', 'Manfred',
  'Tobias', 'Florian', 'Sebastian', 'Alexander', 'Johanna', 'Hannah', 'Mia', 'Emma', 'Paul', 'Ben',
];

/**
 * The long tail: compounds such as "Lindenthaler", each rare (prefixes × suffixes distinct names),
 * so that rare search terms exist at every scale.
 */
export const TAIL_PREFIXES: readonly string[] = [
  'Linden', 'Eichen', 'Rosen', 'Birken', 'Tannen', 'Buchen', 'Ober', 'Unter', 'Hinter', 'Vorder',
  'Stein', 'Wald', 'Berg', 'Feld', 'Wiesen', 'Bach', 'Brunn', 'Mühl', 'Kirch', 'Hoch',
  'Grün', 'Roth', 'Schön', 'Alt', 'Neu', 'Groß', 'Kling', 'Sonnen', 'Winter', 'Sommer',
  'Adler', 'Falken', 'Hirsch', 'Wolfs', 'Bären', 'Fuchs', 'Hasen', 'Raben', 'Tauben', 'Löwen',
];

export const TAIL_SUFFIXES: readonly string[] = [
  'thaler', 'huber', 'mayr', 'berger', 'felder', 'bacher', 'hofer', 'egger', 'wieser', 'moser',
  'ried', 'stätter', 'brunner', 'leitner', 'gruber', 'lechner', 'steiner', 'auer', 'reiter', 'kofler',
  'hammer', 'schmied', 'müller', 'bauer', 'mann', 'stein', 'hagen', 'dorf', 'heim', 'born',
];

export const CITIES: readonly string[] = [
  'Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig', 'Dortmund', 'Essen',
  'Bremen', 'Dresden', 'Hannover', 'Nürnberg', 'Wien', 'Graz', 'Zürich', 'Basel', 'Linz', 'Salzburg',
];

export const COMPANY_WORDS: readonly string[] = [
  'Logistik', 'Maschinenbau', 'Software', 'Elektro', 'Bau', 'Handel', 'Consulting', 'Medizintechnik', 'Druck', 'Immobilien',
  'Transport', 'Metall', 'Energie', 'Versicherung', 'Systeme', 'Möbel', 'Lebensmittel', 'Textil', 'Reisen', 'Garten',
];

export const LEGAL_FORMS: readonly string[] = ['GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'e.K.', 'OHG', 'UG', 'SE'];

/** ASCII for logins and e-mail addresses: Müller → mueller, Çelik → celik, Ødegård → odegard. */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', æ: 'ae', ø: 'o', å: 'aa', ł: 'l', ı: 'i', đ: 'd', œ: 'oe',
};

export function asciiSlug(text: string): string {
  const replaced = [...text.toLowerCase()].map((c) => TRANSLITERATION[c] ?? c).join('');
  return replaced
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
