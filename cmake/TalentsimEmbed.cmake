# talentsim_embed_text(OUT_CPP SYMBOL FILE): compile a text file into the binary
# as `extern const std::string_view SYMBOL` (namespace talentsim::embedded).
function(talentsim_embed_text out_cpp symbol file)
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out_cpp} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/TalentsimEmbedScript.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/TalentsimEmbedScript.cmake
    COMMENT "Embedding ${file}"
    VERBATIM)
endfunction()
