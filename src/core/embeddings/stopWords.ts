/** Function words that carry no topic; dropping them keeps averages about the content words. */
const ENGLISH = `a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either etc few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself just me might
more most must my myself no nor not now of off on once only or other our ours ourselves out over own same shall
she should so some such than that the their theirs them themselves then there these they this those through to
too under until up upon very was we were what when where which while who whom whose why will with would yet you
your yours yourself yourselves`;

/**
 * Syntax words that appear in nearly every snippet of some language, so they say nothing about
 * what the code does. Type and concept words (string, class, interface, error) are kept.
 */
const CODE = `async await const def elif else end endif export false final fn func function import let new nil
none null override private protected public readonly require return self static true typeof undefined var void`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${CODE}`.split(/\s+/).filter(Boolean));
