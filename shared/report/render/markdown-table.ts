/** A row of a Markdown table (the cells already escaped). */
export const row = (...cells: string[]) => `| ${cells.join(' | ')} |`;
