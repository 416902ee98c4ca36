/**
 * UI texts of the home feature (issue 11), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (`{count, plural, one {# vote} other {# votes}}`,
 * Russian one/few/many/other, branch texts with `#` or several words).
 */
export const homeEn = {
} as const

type Of<T> = { readonly [K in keyof T]: string }

export const homeFi: Of<typeof homeEn> = {
}

export const homeEt: Of<typeof homeEn> = {
}

export const homeRu: Of<typeof homeEn> = {
}
