/**
 * UI texts of issue 12 (exportFormats), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (see home.ts).
 */
type Of<T> = { readonly [K in keyof T]: string }

export const exportFormatsEn = {
} as const

export const exportFormatsFi: Of<typeof exportFormatsEn> = {
}

export const exportFormatsEt: Of<typeof exportFormatsEn> = {
}

export const exportFormatsRu: Of<typeof exportFormatsEn> = {
}
