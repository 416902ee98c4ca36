/**
 * UI texts of issue 12 (exportUi), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (see home.ts).
 */
type Of<T> = { readonly [K in keyof T]: string }

export const exportUiEn = {
} as const

export const exportUiFi: Of<typeof exportUiEn> = {
}

export const exportUiEt: Of<typeof exportUiEn> = {
}

export const exportUiRu: Of<typeof exportUiEn> = {
}
