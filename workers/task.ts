// The Piscina worker's entry: it starts the helper thread first (early-helper), then loads the task's code, whose
// modules take about 80 ms to load, while that thread starts.
import './early-helper.js';

const { default: run } = await import('./analyze.js');
export default run;
