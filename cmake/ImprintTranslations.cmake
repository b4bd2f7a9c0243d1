# imprint_add_translations(<target> <catalog> SOURCES <files>...)
#
# Each window library owns one catalog per language: translations/<catalog>_<lang>.ts.
# The .qm files are compiled into the target as resources under :/i18n, where
# imprint::ui::installTranslators() finds them. With IMPRINT_UPDATE_TRANSLATIONS (the
# default) every build refreshes the .ts files from the sources first, so a new tr()
# string shows up in the catalog for the translator at once; tst_translations fails
# while any of them is left untranslated.
option(IMPRINT_UPDATE_TRANSLATIONS "Refresh translations/*.ts from the sources on every build" ON)
set(IMPRINT_LANGUAGES de)

function(imprint_add_translations target catalog)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SOURCES")
    set(ts_files)
    foreach(language ${IMPRINT_LANGUAGES})
        list(APPEND ts_files ${PROJECT_SOURCE_DIR}/translations/${catalog}_${language}.ts)
    endforeach()
    # English is the source language and needs only its plural forms ("%n day(s)" ->
    # "1 day", "2 days"): a catalog made with -pluralonly, loaded under every language.
    set(plural_ts ${PROJECT_SOURCE_DIR}/translations/${catalog}_en.ts)
    set(options -no-obsolete -locations none -no-ui-lines)
    qt_add_lupdate(${target} TS_FILES ${ts_files} SOURCES ${arg_SOURCES} OPTIONS ${options})
    add_custom_target(${target}-plurals)
    qt_add_lupdate(${target}-plurals TS_FILES ${plural_ts} SOURCES ${arg_SOURCES}
        INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/core OPTIONS ${options} -pluralonly)
    qt_add_lrelease(${target} TS_FILES ${ts_files} ${plural_ts} QM_FILES_OUTPUT_VARIABLE qm_files)
    qt_add_resources(${target} "${target}_translations" PREFIX /i18n BASE ${CMAKE_CURRENT_BINARY_DIR}
        FILES ${qm_files})
    if(IMPRINT_UPDATE_TRANSLATIONS)
        add_dependencies(${target} ${target}_lupdate ${target}-plurals_lupdate)
    endif()
endfunction()
