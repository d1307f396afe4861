/** The sizes Chrome asks for: toolbar (16, 32), extensions page (48), install dialog and store (128). */
export declare const ICON_SIZES: number[];
/** Encodes one square icon as a PNG (8-bit RGBA). */
export declare function iconPng(size: number): Buffer;
/** Writes `icons/icon-<size>.png` for every size into `dir`. */
export declare function writeIcons(dir: string): Promise<void>;
