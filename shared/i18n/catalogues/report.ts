/**
 * UI texts of issue 12 (report), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (see home.ts).
 */
type Of<T> = { readonly [K in keyof T]: string }

export const reportEn = {
} as const

export const reportFi: Of<typeof reportEn> = {
}

export const reportEt: Of<typeof reportEn> = {
}

export const reportRu: Of<typeof reportEn> = {
}
