/**
 * UI texts of the workshop feature (issue 11), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (`{count, plural, one {# vote} other {# votes}}`,
 * Russian one/few/many/other, branch texts with `#` or several words).
 */
export const workshopEn = {
} as const

type Of<T> = { readonly [K in keyof T]: string }

export const workshopFi: Of<typeof workshopEn> = {
}

export const workshopEt: Of<typeof workshopEn> = {
}

export const workshopRu: Of<typeof workshopEn> = {
}
