// Imported first by extension.ts, so this runs before the rest of the bundle is evaluated:
// activate() reports how long loading the code took, apart from building the App.
export const bundleStartedAt = performance.now();
